import { timingSafeEqual } from "node:crypto";
import { type Denial, deny } from "./denial.js";
import { headerValue, isUnsafeMethod, type RequestLike } from "./request.js";

export const CSRF_HEADER = "x-csrf-token";

/**
 * Checks a token that came from the access cookie (flask-jwt-extended conventions, used by the
 * cookie login): it must be an access token, and on unsafe methods the `X-CSRF-TOKEN` header must
 * equal the token's signed `csrf` claim (stateless double submit: a cross-site page can make the
 * browser send the cookie but cannot read the CSRF value to put in the header).
 * Returns null when the request passes.
 */
export function checkCookieToken(
  req: RequestLike,
  claims: Record<string, unknown>,
  options: { csrf: boolean },
): Denial | null {
  if (claims["type"] !== "access") {
    return deny("COOKIE_TOKEN_NOT_ACCESS", "the cookie does not hold an access token");
  }
  if (!options.csrf || !isUnsafeMethod(req.method)) return null;

  const sent = headerValue(req, CSRF_HEADER)?.trim();
  if (!sent) {
    return deny(
      "CSRF_MISSING",
      `missing CSRF token: ${req.method.toUpperCase()} with cookie authentication needs the X-CSRF-TOKEN header`,
    );
  }
  const expected = claims["csrf"];
  if (typeof expected !== "string" || !sameString(sent, expected)) {
    return deny("CSRF_MISMATCH", "CSRF double submit tokens do not match");
  }
  return null;
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  return left.length === right.length && timingSafeEqual(left, right);
}

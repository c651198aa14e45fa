import {
  CSRF_HEADER,
  checkCsrfDoubleSubmit,
  isUnsafeMethod,
} from "@tokenleader/client/http-security";
import { type Denial, deny } from "./denial.js";
import type { RequestLike } from "./request.js";

/**
 * Checks a token that came from the access cookie (flask-jwt-extended conventions, used by the
 * cookie login): it must be an access token, and on unsafe methods it must pass the shared
 * double-submit CSRF check against the token's signed `csrf` claim.
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

  const csrf = checkCsrfDoubleSubmit(req.headers[CSRF_HEADER], claims["csrf"]);
  if (csrf.ok) return null;
  if (csrf.code === "CSRF_MISSING") {
    return deny(
      "CSRF_MISSING",
      `missing CSRF token: ${req.method.toUpperCase()} with cookie authentication needs the X-CSRF-TOKEN header`,
    );
  }
  return deny("CSRF_MISMATCH", "CSRF double submit tokens do not match");
}

import { readCookie } from "@tokenleader/client/http-security";
import { type Denial, deny } from "./denial.js";
import { headerValue, type RequestLike } from "./request.js";

export type TokenSource = "x-auth-token" | "authorization" | "cookie";

export interface FoundToken {
  ok: true;
  token: string;
  source: TokenSource;
}

export interface TokenSourceOptions {
  /** Name of the cookie holding the access token, or undefined when cookies are not accepted. */
  cookieName?: string;
}

/**
 * Finds the request's token. Precedence: `X-Auth-Token` (the original's header), then
 * `Authorization: Bearer`, then the access cookie. A header that is present but empty is denied
 * rather than skipped: the caller meant to send a token, and falling through to a cookie would
 * authenticate them as someone they did not choose.
 */
export function findToken(req: RequestLike, options: TokenSourceOptions): FoundToken | Denial {
  const xAuth = headerValue(req, "x-auth-token");
  if (xAuth !== undefined) {
    const token = xAuth.trim();
    if (token === "") return deny("TOKEN_EMPTY", "the X-Auth-Token header is empty");
    return { ok: true, token, source: "x-auth-token" };
  }

  const authorization = headerValue(req, "authorization");
  if (authorization !== undefined) {
    const match = /^\s*bearer(?:\s+(.*))?$/i.exec(authorization);
    if (match) {
      const token = (match[1] ?? "").trim();
      if (token === "") return deny("TOKEN_EMPTY", "the Authorization header has no Bearer token");
      return { ok: true, token, source: "authorization" };
    }
    // Another scheme (Basic…) may belong to something else on the route: not ours, keep looking.
  }

  if (options.cookieName !== undefined) {
    const cookie = readCookie(headerValue(req, "cookie"), options.cookieName);
    if (cookie !== undefined) {
      const token = cookie.trim();
      if (token === "") return deny("TOKEN_EMPTY", `the ${options.cookieName} cookie is empty`);
      return { ok: true, token, source: "cookie" };
    }
  }

  const where =
    options.cookieName === undefined
      ? "an X-Auth-Token or Authorization: Bearer header"
      : `an X-Auth-Token or Authorization: Bearer header, or the ${options.cookieName} cookie`;
  return deny("TOKEN_MISSING", `no token: send ${where}`);
}

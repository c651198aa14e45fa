// CSRF defences of the cookie login.
// 1. Login CSRF (the original had none): the form carries a hidden field that is an HMAC, under a
//    server secret, of a random value held in the `login_csrf` cookie plus the time it was
//    issued. A cross-site page can neither read the cookie nor compute the field, so it cannot
//    log a victim into the attacker's account. The server makes that random value and signs the
//    cookie: a value planted in the victim's browser (by a sibling subdomain, or over plain http)
//    that the server did not sign is replaced by GET /login and refused by POST /login, so
//    the login page never hands out a form field for a cookie chosen by someone else.
// 2. The WESkit double submit: every access/refresh token carries a random `csrf` claim, the same
//    value goes into a script-readable cookie, and unsafe requests must echo it in X-CSRF-TOKEN.
//    The header is compared with the claim inside the signed token, not with the cookie
//    (checkCsrfDoubleSubmit in @tokenleader/client/http-security, shared with the enforcer).

import { createHmac, randomBytes } from "node:crypto";
import { constantTimeEqual } from "@tokenleader/client/http-security";

export const LOGIN_CSRF_COOKIE = "login_csrf";
export const LOGIN_CSRF_FIELD = "csrf_token";
export const CSRF_ACCESS_COOKIE = "csrf_access_token";
export const CSRF_REFRESH_COOKIE = "csrf_refresh_token";
export const ACCESS_TOKEN_COOKIE = "access_token_cookie";
export const REFRESH_TOKEN_COOKIE = "refresh_token_cookie";

/** How long a rendered login form stays usable. */
export const LOGIN_CSRF_MAX_AGE_SECONDS = 2 * 60 * 60;
const MIN_SECRET_BYTES = 32;
const MAC = "[A-Za-z0-9_-]{43}";
/** The cookie: the server's nonce and its signature. */
const SIGNED_NONCE = new RegExp(`^(${MAC})\\.(${MAC})$`);
const FIELD = new RegExp(`^(\\d{1,12})\\.(${MAC})$`);

/** A fresh random value (256 bits, base64url): `csrf` claims and login nonces. */
export function mintCsrfValue(): string {
  return randomBytes(32).toString("base64url");
}

export interface LoginCsrfPair {
  /** Goes into the `login_csrf` cookie (HttpOnly, SameSite=Lax, Path = the login path). */
  readonly cookieValue: string;
  /** Goes into the hidden form field `csrf_token`. */
  readonly fieldValue: string;
}

export interface LoginCsrf {
  issue(now?: Date): LoginCsrfPair;
  /**
   * Re-uses the cookie when this server signed it, so several open tabs keep working; any other
   * value (planted, forged, from before the signature) is replaced by a fresh nonce.
   */
  issueFor(cookieValue: string | undefined, now?: Date): LoginCsrfPair;
  verify(cookieValue: string | undefined, fieldValue: unknown, now?: Date): boolean;
}

export function createLoginCsrf(secret: Uint8Array): LoginCsrf {
  if (secret.length < MIN_SECRET_BYTES) {
    throw new Error(`the login CSRF secret must have at least ${MIN_SECRET_BYTES} bytes`);
  }
  const key = Buffer.from(secret);
  // Distinct labels: a cookie signature is never a valid form field, nor the other way round.
  const mac = (...parts: (string | number)[]) =>
    createHmac("sha256", key).update(parts.join("\n")).digest("base64url");
  const signedCookie = (nonce: string) => `${nonce}.${mac("tokenleader-login-csrf-cookie", nonce)}`;
  /** The nonce of a cookie this server signed, else undefined. */
  const nonceOf = (cookieValue: string | undefined): string | undefined => {
    const match = cookieValue === undefined ? null : SIGNED_NONCE.exec(cookieValue);
    if (match === null) return undefined;
    const nonce = match[1]!;
    return constantTimeEqual(match[2]!, mac("tokenleader-login-csrf-cookie", nonce))
      ? nonce
      : undefined;
  };
  const pairFor = (nonce: string, now: Date): LoginCsrfPair => {
    const issuedAt = Math.floor(now.getTime() / 1000);
    return {
      cookieValue: signedCookie(nonce),
      fieldValue: `${issuedAt}.${mac("tokenleader-login-csrf", nonce, issuedAt)}`,
    };
  };
  return {
    issue: (now = new Date()) => pairFor(mintCsrfValue(), now),
    issueFor: (cookieValue, now = new Date()) =>
      pairFor(nonceOf(cookieValue) ?? mintCsrfValue(), now),
    verify(cookieValue, fieldValue, now = new Date()) {
      const nonce = nonceOf(cookieValue);
      if (nonce === undefined || typeof fieldValue !== "string") return false;
      const match = FIELD.exec(fieldValue);
      if (match === null) return false;
      const issuedAt = Number(match[1]);
      const age = Math.floor(now.getTime() / 1000) - issuedAt;
      if (age < -60 || age > LOGIN_CSRF_MAX_AGE_SECONDS) return false;
      return constantTimeEqual(match[2]!, mac("tokenleader-login-csrf", nonce, issuedAt));
    },
  };
}

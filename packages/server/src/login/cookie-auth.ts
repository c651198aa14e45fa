// Authentication of a request by the access cookie, as flask-jwt-extended's jwt_required did it
// (token present, valid, an access token, CSRF header on unsafe methods), plus what the original
// lacked: the token's session must still be open.

import type { FastifyRequest } from "fastify";
import type { LoginSessionRecord } from "../sessions/index.js";
import { ACCESS_TOKEN_COOKIE, CSRF_HEADER, checkCsrfHeader } from "./csrf.js";
import { type LoginFailure, unauthorized } from "./login-replies.js";
import type { LoginRuntime } from "./login-runtime.js";
import { type AccessClaims, verifyLoginToken } from "./login-tokens.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type CookieAuthResult =
  | { ok: true; claims: AccessClaims; session: LoginSessionRecord }
  | { ok: false; failure: LoginFailure };

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

export async function authenticateAccessCookie(
  request: FastifyRequest,
  runtime: LoginRuntime,
): Promise<CookieAuthResult> {
  const token = request.cookies[ACCESS_TOKEN_COOKIE];
  if (token === undefined || token === "") {
    return fail(unauthorized("COOKIE_MISSING", `Missing cookie "${ACCESS_TOKEN_COOKIE}"`));
  }
  const check = await verifyLoginToken(token, "access", runtime);
  if (!check.ok) return fail(unauthorized(check.code, check.reason));
  if (runtime.login.csrfProtect && isUnsafeMethod(request.method)) {
    const csrf = checkCsrfHeader(request.headers[CSRF_HEADER], check.claims.csrf);
    if (!csrf.ok) return fail(csrfFailure(csrf.reason));
  }
  const session = await runtime.sessions.find(check.claims.sid);
  if (session === null || !runtime.sessions.isLive(session)) {
    return fail(unauthorized("SESSION_ENDED", "The session has ended (logged out or revoked)"));
  }
  // Issued before the user's password or roles changed (a login that raced the change).
  if (
    typeof check.claims.tva === "number" &&
    !(await runtime.sessions.bearerTokens.isActive({ ...check.claims }))
  ) {
    await runtime.sessions.revoke(session.id, "user-changed");
    return fail(unauthorized("SESSION_ENDED", "The session has ended (logged out or revoked)"));
  }
  return { ok: true, claims: check.claims, session };
}

export function csrfFailure(
  reason: "Missing CSRF token" | "CSRF double submit tokens do not match",
): LoginFailure {
  return unauthorized(reason === "Missing CSRF token" ? "CSRF_MISSING" : "CSRF_MISMATCH", reason);
}

function fail(failure: LoginFailure): CookieAuthResult {
  return { ok: false, failure };
}

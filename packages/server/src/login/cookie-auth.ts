// Authentication of a request by the access cookie, as flask-jwt-extended's jwt_required did it
// (token present, valid, an access token, CSRF header on unsafe methods), plus what the original
// lacked: the token's session must still be open.

import {
  CSRF_HEADER,
  type CsrfCheck,
  checkCsrfDoubleSubmit,
  isUnsafeMethod,
} from "@tokenleader/client/http-security";
import type { FastifyRequest } from "fastify";
import type { LoginSessionRecord } from "../sessions/index.js";
import { ACCESS_TOKEN_COOKIE } from "./csrf.js";
import { type LoginFailure, unauthorized } from "./login-replies.js";
import type { LoginRuntime } from "./login-runtime.js";
import { type AccessClaims, verifyLoginToken } from "./login-tokens.js";

export type CookieAuthResult =
  | { ok: true; claims: AccessClaims; session: LoginSessionRecord }
  | { ok: false; failure: LoginFailure };

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
    const csrf = checkCsrfDoubleSubmit(request.headers[CSRF_HEADER], check.claims.csrf);
    if (!csrf.ok) return fail(csrfFailure(csrf.code));
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

/** A failed double-submit check, with the original's (flask-jwt-extended's) messages. */
export function csrfFailure(code: Extract<CsrfCheck, { ok: false }>["code"]): LoginFailure {
  return unauthorized(
    code,
    code === "CSRF_MISSING" ? "Missing CSRF token" : "CSRF double submit tokens do not match",
  );
}

function fail(failure: LoginFailure): CookieAuthResult {
  return { ok: false, failure };
}

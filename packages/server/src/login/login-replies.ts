// The JSON failure bodies of the cookie routes: the original's `msg` key (flask-jwt-extended),
// plus a stable `code` for programs. Never cached.

import type { FastifyReply } from "fastify";

export const LOGIN_FAILURE_CODES = [
  "COOKIE_MISSING",
  "CSRF_MISSING",
  "CSRF_MISMATCH",
  "TOKEN_EXPIRED",
  "TOKEN_INVALID",
  "TOKEN_SIGNATURE",
  "TOKEN_WRONG_TYPE",
  "SESSION_ENDED",
  "REFRESH_TOKEN_REUSED",
  "USER_NOT_FOUND",
  "CROSS_SITE_LOGOUT",
] as const;

export type LoginFailureCode = (typeof LOGIN_FAILURE_CODES)[number];

export interface LoginFailure {
  readonly status: 401 | 403;
  readonly code: LoginFailureCode;
  readonly msg: string;
}

export function sendFailure(reply: FastifyReply, failure: LoginFailure): FastifyReply {
  return reply
    .code(failure.status)
    .header("cache-control", "no-store")
    .send({ msg: failure.msg, code: failure.code });
}

export function unauthorized(code: LoginFailureCode, msg: string): LoginFailure {
  return { status: 401, code, msg };
}

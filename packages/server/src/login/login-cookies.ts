// The cookies of the cookie login, with the original's names (flask-jwt-extended): two HttpOnly
// token cookies scoped to their paths, and two script-readable CSRF cookies on "/" that the
// page's JavaScript echoes in X-CSRF-TOKEN. Session cookies (no Max-Age), as the original's.

import type { CookieSerializeOptions } from "@fastify/cookie";
import type { FastifyReply } from "fastify";
import type { LoginSettings } from "../config/index.js";
import {
  ACCESS_TOKEN_COOKIE,
  CSRF_ACCESS_COOKIE,
  CSRF_REFRESH_COOKIE,
  LOGIN_CSRF_COOKIE,
  LOGIN_CSRF_MAX_AGE_SECONDS,
  REFRESH_TOKEN_COOKIE,
} from "./csrf.js";

type CookieSettings = Pick<
  LoginSettings,
  "cookieSecure" | "sameSite" | "accessCookiePath" | "refreshCookiePath" | "csrfProtect"
>;

/** Path of the login-CSRF cookie: only the form post needs it. */
export const LOGIN_CSRF_COOKIE_PATH = "/login";

function base(settings: CookieSettings, path: string, httpOnly: boolean): CookieSerializeOptions {
  return {
    path,
    httpOnly,
    secure: settings.cookieSecure,
    sameSite: settings.sameSite.toLowerCase() as "lax" | "strict" | "none",
  };
}

export interface IssuedCookieTokens {
  readonly access?: { token: string; csrf: string | undefined };
  readonly refresh?: { token: string; csrf: string | undefined };
}

export function setTokenCookies(
  reply: FastifyReply,
  settings: CookieSettings,
  tokens: IssuedCookieTokens,
): void {
  if (tokens.access) {
    reply.setCookie(
      ACCESS_TOKEN_COOKIE,
      tokens.access.token,
      base(settings, settings.accessCookiePath, true),
    );
    if (settings.csrfProtect && tokens.access.csrf !== undefined) {
      reply.setCookie(CSRF_ACCESS_COOKIE, tokens.access.csrf, base(settings, "/", false));
    }
  }
  if (tokens.refresh) {
    reply.setCookie(
      REFRESH_TOKEN_COOKIE,
      tokens.refresh.token,
      base(settings, settings.refreshCookiePath, true),
    );
    if (settings.csrfProtect && tokens.refresh.csrf !== undefined) {
      reply.setCookie(CSRF_REFRESH_COOKIE, tokens.refresh.csrf, base(settings, "/", false));
    }
  }
}

/** Expires all four cookies with the attributes they were set with (browsers match on path). */
export function clearTokenCookies(reply: FastifyReply, settings: CookieSettings): void {
  const gone = { maxAge: 0, expires: new Date(0) };
  reply.setCookie(ACCESS_TOKEN_COOKIE, "", {
    ...base(settings, settings.accessCookiePath, true),
    ...gone,
  });
  reply.setCookie(REFRESH_TOKEN_COOKIE, "", {
    ...base(settings, settings.refreshCookiePath, true),
    ...gone,
  });
  reply.setCookie(CSRF_ACCESS_COOKIE, "", { ...base(settings, "/", false), ...gone });
  reply.setCookie(CSRF_REFRESH_COOKIE, "", { ...base(settings, "/", false), ...gone });
}

export function setLoginCsrfCookie(
  reply: FastifyReply,
  settings: CookieSettings,
  value: string,
): void {
  reply.setCookie(LOGIN_CSRF_COOKIE, value, {
    ...base(settings, LOGIN_CSRF_COOKIE_PATH, true),
    maxAge: LOGIN_CSRF_MAX_AGE_SECONDS,
  });
}

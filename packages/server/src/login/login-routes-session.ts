// POST /refresh and GET|POST /logout. Unlike the original, both act on the server-side session:
// /refresh rotates the refresh token and treats a replayed (already rotated) one as theft,
// ending the whole session; /logout ends the session, so old tokens stop working at once. It
// finds the session through the access cookie or the refresh cookie, whichever reaches it, and
// answers 401 with the reason when no token verifies (the original said {"logout": true}).

import { randomUUID } from "node:crypto";
import { CSRF_HEADER, checkCsrfDoubleSubmit } from "@tokenleader/client/http-security";
import { escapeControlCharacters } from "@tokenleader/client/terminal";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { recordRefreshTokenReused, recordSessionEnded } from "../audit/index.js";
import { csrfFailure } from "./cookie-auth.js";
import { ACCESS_TOKEN_COOKIE, REFRESH_TOKEN_COOKIE } from "./csrf.js";
import { clearTokenCookies } from "./login-cookies.js";
import { type LoginFailure, sendFailure, unauthorized } from "./login-replies.js";
import type { LoginRuntime } from "./login-runtime.js";
import {
  getLogoutSchema,
  LOGIN_ROUTE_OPTIONS,
  postLogoutSchema,
  refreshSchema,
} from "./login-schemas.js";
import {
  type AccessClaims,
  type LoginTokenCheck,
  type RefreshClaims,
  verifyLoginToken,
} from "./login-tokens.js";
import { setSessionCookies } from "./session-cookies.js";
import { prefersHtml } from "./user-status.js";

export function registerSessionRoutes(app: FastifyInstance, runtime: LoginRuntime): void {
  const { login, sessions, users, logger } = runtime;

  app.post(
    "/refresh",
    { ...LOGIN_ROUTE_OPTIONS, schema: refreshSchema },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      const token = request.cookies[REFRESH_TOKEN_COOKIE];
      if (token === undefined || token === "") {
        return sendFailure(
          reply,
          unauthorized("COOKIE_MISSING", `Missing cookie "${REFRESH_TOKEN_COOKIE}"`),
        );
      }
      const check = await verifyLoginToken(token, "refresh", runtime);
      if (!check.ok) return sendFailure(reply, unauthorized(check.code, check.reason));
      const claims = check.claims;
      if (login.csrfProtect) {
        const csrf = checkCsrfDoubleSubmit(request.headers[CSRF_HEADER], claims.csrf);
        if (!csrf.ok) return sendFailure(reply, csrfFailure(csrf.code));
      }
      const session = await sessions.find(claims.sid);
      if (session === null || !sessions.isLive(session)) {
        clearTokenCookies(reply, login);
        return sendFailure(
          reply,
          unauthorized("SESSION_ENDED", "The session has ended (logged out or revoked)"),
        );
      }

      const reused = async () => {
        await sessions.revoke(session.id, "refresh-token-reuse");
        const username = escapeControlCharacters(session.username);
        logger.warn(
          { event: "refresh-token-reuse", username, sid: session.id, ip: request.ip },
          `a rotated refresh token of '${username}' was used again: session revoked`,
        );
        await recordRefreshTokenReused(runtime.audit, {
          username: session.username,
          sid: session.id,
          sourceAddress: request.ip,
        });
        clearTokenCookies(reply, login);
        return sendFailure(
          reply,
          unauthorized(
            "REFRESH_TOKEN_REUSED",
            "This refresh token was already used; the session is revoked, log in again",
          ),
        );
      };
      if (claims.jti !== session.refreshJti) return reused();

      const user = await users.current(session.username, session.source);
      if (user === undefined) {
        await sessions.revoke(session.id, "user-removed");
        clearTokenCookies(reply, login);
        return sendFailure(
          reply,
          unauthorized("USER_NOT_FOUND", `Error loading the user '${session.username}'`),
        );
      }
      // The user's password or roles changed since this session's tokens were made (a login
      // that raced the change, which could not see the session yet): end it.
      if (typeof claims.tva === "number" && claims.tva !== user.tokensValidAfterMs) {
        await sessions.revoke(session.id, "user-changed");
        clearTokenCookies(reply, login);
        return sendFailure(
          reply,
          unauthorized("SESSION_ENDED", "The session has ended (logged out or revoked)"),
        );
      }
      const nextJti = randomUUID();
      if (!(await sessions.rotateRefresh(session.id, claims.jti, nextJti))) return reused();
      await setSessionCookies(reply, runtime, user, {
        sid: session.id,
        expiresAt: session.expiresAt,
        refreshJti: nextJti,
      });
      return reply.code(200).send({ refresh: true });
    },
  );

  /**
   * The verified token cookies the browser sent to /logout: the access cookie and/or the refresh
   * cookie, depending on their paths (the settings make sure at least one of them reaches
   * /logout), and why the others were refused. An expired token still names its session while
   * that session is open (the access cookie expires long before the session); once the session
   * has ended too, it proves nothing and ends nothing.
   */
  const sessionTokens = async (request: FastifyRequest) => {
    const found: LogoutToken[] = [];
    let refusal: LoginFailure | undefined;
    const consider = async <C extends AccessClaims | RefreshClaims>(
      check: LoginTokenCheck<C>,
      username: (claims: C) => string,
    ) => {
      if (!check.ok) {
        refusal ??= unauthorized(check.code, check.reason);
        return;
      }
      const { sid, exp, csrf } = check.claims;
      if (exp * 1000 <= runtime.now() && !(await sessionIsOpen(sid))) {
        refusal ??= unauthorized("TOKEN_EXPIRED", "Token has expired");
        return;
      }
      found.push({ sid, username: username(check.claims), csrf });
    };
    const access = request.cookies[ACCESS_TOKEN_COOKIE];
    if (access !== undefined && access !== "") {
      await consider(
        await verifyLoginToken(access, "access", { ...runtime, allowExpired: true }),
        (claims: AccessClaims) => claims.sub.username,
      );
    }
    const refresh = request.cookies[REFRESH_TOKEN_COOKIE];
    if (refresh !== undefined && refresh !== "") {
      await consider(
        await verifyLoginToken(refresh, "refresh", { ...runtime, allowExpired: true }),
        (claims: RefreshClaims) => claims.identity.username,
      );
    }
    return { found, refusal };
  };

  const sessionIsOpen = async (sid: string) => {
    const session = await sessions.find(sid);
    return session !== null && sessions.isLive(session);
  };

  /**
   * Ends the sessions of the tokens that came along. A failure when no token verifies (nothing
   * could be ended, so success would be a lie) or when the CSRF check refuses every token.
   */
  const logout = async (request: FastifyRequest, unsafe: boolean) => {
    const { found, refusal } = await sessionTokens(request);
    if (found.length === 0) {
      return {
        failure:
          refusal ??
          unauthorized(
            "COOKIE_MISSING",
            `Missing cookie "${ACCESS_TOKEN_COOKIE}" or "${REFRESH_TOKEN_COOKIE}"`,
          ),
        clearCookies: true,
      };
    }
    let tokens = found;
    if (unsafe && login.csrfProtect) {
      // The header must match the CSRF value of a token that came along: csrf_access_token, or
      // csrf_refresh_token when only the refresh cookie reaches /logout.
      const checks = tokens.map((token) => ({
        token,
        csrf: checkCsrfDoubleSubmit(request.headers[CSRF_HEADER], token.csrf),
      }));
      tokens = checks.filter((c) => c.csrf.ok).map((c) => c.token);
      const first = checks[0]?.csrf;
      // Still logged in: the cookies stay.
      if (tokens.length === 0 && first !== undefined && !first.ok) {
        return { failure: csrfFailure(first.code), clearCookies: false };
      }
    }
    for (const sid of new Set(tokens.map((token) => token.sid))) {
      if (await sessions.revoke(sid, "logout")) {
        const username = tokens.find((token) => token.sid === sid)?.username;
        request.log.info(
          { event: "logout", username: escapeControlCharacters(username ?? ""), sid },
          "logged out",
        );
        await recordSessionEnded(runtime.audit, {
          username: username ?? "",
          sid,
          sourceAddress: request.ip,
        });
      }
    }
    return { failure: null, clearCookies: true };
  };

  app.post(
    "/logout",
    { ...LOGIN_ROUTE_OPTIONS, schema: postLogoutSchema },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      const { failure, clearCookies } = await logout(request, true);
      if (clearCookies) clearTokenCookies(reply, login);
      if (failure !== null) return sendFailure(reply, failure);
      return reply.code(200).send({ logout: true });
    },
  );

  // No automatic HEAD route: only a real navigation or script may log out.
  app.get(
    "/logout",
    { ...LOGIN_ROUTE_OPTIONS, schema: getLogoutSchema, exposeHeadRoute: false },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      if (isCrossSite(request)) {
        return sendFailure(reply, {
          status: 403,
          code: "CROSS_SITE_LOGOUT",
          msg: "GET /logout works only from this site; use POST /logout with the X-CSRF-TOKEN header",
        });
      }
      const { failure } = await logout(request, false);
      clearTokenCookies(reply, login);
      // A person who clicked "Log out" lands on the login form, logged out either way; scripts
      // get the original's JSON, or why nothing was ended.
      if (prefersHtml(request.headers.accept))
        return reply.code(303).header("location", "login").send();
      if (failure !== null) return sendFailure(reply, failure);
      return reply.code(200).send({ logout: true });
    },
  );
}

interface LogoutToken {
  sid: string;
  username: string;
  csrf: string | undefined;
}

/**
 * True when the browser says the request comes from another site: Sec-Fetch-Site (sent by every
 * current browser) or, failing that, an Origin that is not this server. Requests with neither
 * (scripts, curl, the WESkit demo client) are not cross-site requests from a browser.
 */
export function isCrossSite(request: FastifyRequest): boolean {
  const fetchSite = headerOf(request, "sec-fetch-site")?.toLowerCase();
  if (fetchSite !== undefined) {
    return !["same-origin", "same-site", "none"].includes(fetchSite);
  }
  const origin = headerOf(request, "origin");
  if (origin === undefined) return false;
  if (origin === "null") return true;
  try {
    return new URL(origin).host !== request.host;
  } catch {
    return true;
  }
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

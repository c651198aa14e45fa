// Opening a login session and (re)issuing its cookies: a fresh access token with its own CSRF
// value, and the session's current refresh token with another (the scopes stay separate, as in
// the original: the access value is refused at /refresh and the other way round).

import { randomUUID } from "node:crypto";
import type { FastifyReply } from "fastify";
import { mintCsrfValue } from "./csrf.js";
import { setTokenCookies } from "./login-cookies.js";
import type { LoginRuntime } from "./login-runtime.js";
import type { LoginUser } from "./login-users.js";

/** Creates the session row and sets all four cookies. Returns the session id. */
export async function openSession(
  reply: FastifyReply,
  runtime: LoginRuntime,
  user: LoginUser,
): Promise<string> {
  const refreshJti = randomUUID();
  const session = await runtime.sessions.create({
    username: user.username,
    source: user.source,
    expiresAt: new Date(runtime.now() + runtime.login.refreshTtl * 1000),
    refreshJti,
  });
  await setSessionCookies(reply, runtime, user, {
    sid: session.id,
    expiresAt: session.expiresAt,
    refreshJti,
  });
  return session.id;
}

export async function setSessionCookies(
  reply: FastifyReply,
  runtime: LoginRuntime,
  user: LoginUser,
  session: { sid: string; expiresAt: Date; refreshJti: string },
): Promise<void> {
  const csrfOn = runtime.login.csrfProtect;
  const accessCsrf = csrfOn ? mintCsrfValue() : undefined;
  const refreshCsrf = csrfOn ? mintCsrfValue() : undefined;
  const [access, refresh] = await Promise.all([
    runtime.tokens.issueAccess({
      subject: user.subject,
      sid: session.sid,
      sessionExpiresAt: session.expiresAt,
      csrf: accessCsrf,
      tva: user.tokensValidAfterMs,
    }),
    runtime.tokens.issueRefresh({
      username: user.username,
      source: user.source,
      sid: session.sid,
      jti: session.refreshJti,
      sessionExpiresAt: session.expiresAt,
      csrf: refreshCsrf,
      tva: user.tokensValidAfterMs,
    }),
  ]);
  setTokenCookies(reply, runtime.login, {
    access: { token: access.token, csrf: accessCsrf },
    refresh: { token: refresh.token, csrf: refreshCsrf },
  });
}

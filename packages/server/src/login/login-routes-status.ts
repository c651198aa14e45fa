// GET /user_status (and the original path /ga4gh/wes/user_status): who is logged in, from the
// live user store as in the original (a removed user is refused at once), with roles as a real
// JSON list. Browsers get a small page with a logout link; unauthenticated browsers are sent to
// the login form.

import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { authenticateAccessCookie } from "./cookie-auth.js";
import { clearTokenCookies } from "./login-cookies.js";
import { sendFailure, unauthorized } from "./login-replies.js";
import type { LoginRuntime } from "./login-runtime.js";
import { LOGIN_ROUTE_OPTIONS, userStatusSchema } from "./login-schemas.js";
import { LOGIN_PAGE_HEADERS, renderStatusPage } from "./page.js";
import { prefersHtml, userStatusBody } from "./user-status.js";

/** Each status path with the relative way back to the site root (the pages use relative links). */
export const USER_STATUS_PATHS: ReadonlyArray<{ path: string; toRoot: string }> = [
  { path: "/user_status", toRoot: "" },
  { path: "/ga4gh/wes/user_status", toRoot: "../../" },
];

export function registerUserStatusRoutes(app: FastifyInstance, runtime: LoginRuntime): void {
  for (const { path, toRoot } of USER_STATUS_PATHS) {
    app.get(path, { ...LOGIN_ROUTE_OPTIONS, schema: userStatusSchema(path) }, (request, reply) =>
      userStatus(request, reply, runtime, toRoot),
    );
  }
}

async function userStatus(
  request: FastifyRequest,
  reply: FastifyReply,
  runtime: LoginRuntime,
  toRoot: string,
) {
  reply.header("cache-control", "no-store");
  const html = prefersHtml(request.headers.accept);
  const auth = await authenticateAccessCookie(request, runtime);
  if (!auth.ok) {
    if (html) return reply.code(302).header("location", `${toRoot}login`).send();
    return sendFailure(reply, auth.failure);
  }
  const { session } = auth;
  const user = await runtime.users.current(session.username, session.source);
  if (user === undefined) {
    await runtime.sessions.revoke(session.id, "user-removed");
    clearTokenCookies(reply, runtime.login);
    return sendFailure(
      reply,
      unauthorized("USER_NOT_FOUND", `Error loading the user '${session.username}'`),
    );
  }
  const authMethod = user.source === "file" ? "local" : "database";
  if (html) {
    return reply
      .code(200)
      .headers(LOGIN_PAGE_HEADERS)
      .send(
        renderStatusPage({
          username: user.username,
          roles: user.subject.roles,
          authMethod,
          logoutHref: `${toRoot}logout`,
        }),
      );
  }
  return reply.code(200).send(userStatusBody(user.subject, authMethod));
}

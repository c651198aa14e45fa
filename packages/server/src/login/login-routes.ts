// The cookie login as one server plugin: pages, /login, /refresh, /logout and /user_status in
// their own Fastify scope (its cookie, form and multipart plugins and its error handler stay
// there). With `[login] enabled = false` it registers nothing and says so loudly (the original
// crashed in that "open" mode).

import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import fastifyMultipart from "@fastify/multipart";
import type { FastifyError, FastifyInstance } from "fastify";
import type { AppContext } from "../app-context.js";
import type { ServerPlugin } from "../http/build-server.js";
import { LOGIN_BODY_TOO_LARGE, LOGIN_UNSUPPORTED_TYPE } from "./login-limits.js";
import { LOGIN_MULTIPART_OPTIONS } from "./login-multipart.js";
import { registerLoginRoutes } from "./login-routes-login.js";
import { registerSessionRoutes } from "./login-routes-session.js";
import { registerUserStatusRoutes } from "./login-routes-status.js";
import { startLogin } from "./login-runtime.js";
import type { UsersFileStore } from "./users-file/index.js";

export const LOGIN_DISABLED_WARNING =
  "COOKIE LOGIN DISABLED ([login] enabled = false): no /login, /logout, /refresh or /user_status routes; browsers cannot sign in";

export interface LoginRoutesOptions {
  /**
   * An open users file to use instead of opening [local_auth] users_file (the caller closes it);
   * null: no users file even if configured.
   */
  readonly usersFile?: UsersFileStore | null;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  readonly now?: () => number;
}

export function createLoginRoutesPlugin(options: LoginRoutesOptions = {}): ServerPlugin {
  return async (app: FastifyInstance, context: AppContext) => {
    if (!context.settings.login.enabled) {
      app.log.warn({ login: false }, LOGIN_DISABLED_WARNING);
      return;
    }
    const runtime = await startLogin(context, {
      logger: app.log,
      ...(options.usersFile !== undefined ? { usersFile: options.usersFile } : {}),
      ...(options.now ? { now: options.now } : {}),
    });
    app.addHook("onClose", () => runtime.stop());

    await app.register(fastifyCookie);
    await app.register(fastifyFormbody);
    // application/*+json is JSON too (Flask's request.is_json said so).
    app.addContentTypeParser(
      /^application\/[\w.-]+\+json$/,
      { parseAs: "string" },
      app.getDefaultJsonParser("error", "error"),
    );
    app.setErrorHandler(loginErrorHandler);

    // The login form also comes as multipart/form-data (`curl -F`); its parser lives in a scope
    // of its own so every other route keeps refusing multipart.
    await app.register(async (formScope) => {
      await formScope.register(fastifyMultipart, LOGIN_MULTIPART_OPTIONS);
      registerLoginRoutes(formScope, runtime, context.guessing);
    });
    // /refresh and /logout take no body, and browsers send them whatever is at hand:
    // fetch(url, {method: "POST", body: ""}) and navigator.sendBeacon(url, "x") send text/plain,
    // a form sends multipart. Refusing any of these would keep the session alive, so this scope
    // reads every body (within [server] body_limit: 413 beyond) and throws it away.
    await app.register(async (sessionScope) => {
      sessionScope.removeAllContentTypeParsers();
      sessionScope.addContentTypeParser("*", { parseAs: "buffer" }, discardBody);
      registerSessionRoutes(sessionScope, runtime);
    });
    registerUserStatusRoutes(app, runtime);
  };
}

/** A body parser that reads the body (so the body limit applies) and ignores it. */
function discardBody(
  _request: unknown,
  _body: Buffer | string,
  done: (error: Error | null, body?: unknown) => void,
): void {
  done(null, undefined);
}

/** The plugin with default options: add it to the server's plugin list. */
export const loginRoutesPlugin: ServerPlugin = createLoginRoutesPlugin();

/**
 * POST /login always answers `{"login": false, ...}` to bad requests (bad JSON, wrong content
 * type, too large, too many attempts); everything else goes on to the app's error handler.
 */
async function loginErrorHandler(
  this: FastifyInstance,
  error: FastifyError,
  request: Parameters<Parameters<FastifyInstance["setErrorHandler"]>[0]>[1],
  reply: Parameters<Parameters<FastifyInstance["setErrorHandler"]>[0]>[2],
) {
  const status = error.statusCode ?? 500;
  if (request.routeOptions.url !== "/login" || request.method !== "POST" || status >= 500) {
    throw error;
  }
  const msg =
    status === 415
      ? LOGIN_UNSUPPORTED_TYPE
      : status === 413
        ? LOGIN_BODY_TOO_LARGE
        : status === 429
          ? `too many login attempts from this address: ${error.message}`
          : status === 400 &&
              (error instanceof SyntaxError || error.code?.startsWith("FST_ERR_CTP"))
            ? "the request body is not valid JSON"
            : error.message;
  request.log.warn({ event: "login", outcome: "failure", ip: request.ip, status }, "login refused");
  return reply.code(status).header("cache-control", "no-store").send({ login: false, msg });
}

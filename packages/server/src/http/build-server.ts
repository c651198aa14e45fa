import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import fastifyPlugin from "fastify-plugin";
import type { AppContext } from "../app-context.js";
import { createAuditTrail } from "../audit/index.js";
import type { Settings } from "../config/index.js";
import type { Database } from "../db/index.js";
import { createGuessingPolicy } from "../guessing/index.js";
import {
  type KeySet,
  type KeySetRefresher,
  type KeySetSource,
  toKeySetSource,
} from "../keys/index.js";
import { hashSlots, hashThreads } from "../passwords/index.js";
import {
  type AdminService,
  createSigningKeyService,
  type SigningKeyService,
} from "../services/index.js";
import { listenForRevocations, type SessionStore } from "../sessions/index.js";
import type { TlsMaterial } from "../tls/index.js";
import { createTokenIssuer, createTokenVerifier, tokenVerifierOptions } from "../tokens/index.js";
import { AccessLogController } from "./access-log.js";
import { connectionOptions, serverTransportOptions } from "./connection-options.js";
import { handleFrameworkError, installErrorHandling } from "./error-handler.js";
import { registerMetrics } from "./metrics-plugin.js";
import { createReadinessProbe, type ReadinessProbe } from "./readiness.js";
import { recordRoutes } from "./route-registry.js";
import { registerDiscoveryRoutes } from "./routes/discovery-routes.js";
import { registerHealthRoutes } from "./routes/health-routes.js";
import { registerTokenRoutes } from "./routes/token-routes.js";

/**
 * A route plugin of another part of the server (admin API, login pages…). It runs in its own
 * encapsulated Fastify scope, so its hooks, parsers and decorators stay its own; the JSON error
 * handling and the 404/405 handling of the whole app apply to it.
 */
export type ServerPlugin = (app: FastifyInstance, context: AppContext) => void | Promise<void>;

export interface ServerDeps {
  db: Database;
  /** Fixed keys, or the KeyRing a rotation updates (tokenleader-server). */
  keySet: KeySet | KeySetSource;
  /** Keeps the KeyRing in step with the database from ready() to close(). */
  keyRefresher?: KeySetRefresher;
  /**
   * Key rotation for the admin API. Default: one that can list and retire but not rotate (no
   * key-encryption key), for servers built on key files.
   */
  signingKeys?: SigningKeyService;
  adminService: AdminService;
  /**
   * The session store the admin service's revocation hooks were made with
   * (`sessionRevocationHooks(sessions)`), so the routes see those revocations at once.
   */
  sessions: SessionStore;
  /** A pino logger (the CLI's, with redaction). Omitted: no logging (tests). */
  logger?: FastifyBaseLogger;
  /**
   * Run on the root scope (not encapsulated) before any route is declared, in order: for plugins
   * that must see every route, such as the OpenAPI document (@fastify/swagger's onRoute hook).
   */
  rootPlugins?: readonly ServerPlugin[];
  /** Route plugins, each in its own encapsulated scope, registered after the core routes. */
  plugins?: readonly ServerPlugin[];
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  now?: () => number;
  /** Replaces the database/migration/key readiness checks (tests of unusual states). */
  readiness?: ReadinessProbe;
  /**
   * On PostgreSQL, listen for other processes' revocations from ready() to close() (default
   * true). False leaves the caches to their maximum age (tests showing the difference).
   */
  listenForRevocations?: boolean;
  /** Serve HTTPS with this certificate (`[flask_default] ssl = enabled`); omitted: plain HTTP. */
  tls?: TlsMaterial | null;
}

/** Longer path values (decoded) are refused with a 400 before any route sees them. */
const MAX_PATH_PARAM_LENGTH = 1024;

/** The whole HTTP application. Never listens: the CLI calls listen(), tests use inject(). */
export function buildServer(settings: Settings, deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: false }),
    // One line per request instead of Fastify's two, or none (`[server] access_log`).
    logController: new AccessLogController({ accessLog: settings.server.accessLog }),
    bodyLimit: settings.server.bodyLimitBytes,
    ...serverTransportOptions(connectionOptions(settings.server.timeouts), deps.tls),
    trustProxy:
      typeof settings.server.trustProxy === "boolean"
        ? settings.server.trustProxy
        : [...settings.server.trustProxy],
    routerOptions: {
      // Trailing slashes are different routes, as in the original (reference §3.1).
      ignoreTrailingSlash: false,
      // Path values longer than this never reach a route (Fastify's default is 100): leave room
      // so that a too-long name gets the route's own 400 naming the field.
      maxParamLength: MAX_PATH_PARAM_LENGTH,
    },
    // A malformed percent-escape in the path (/delete/org/%FF) is refused before routing: answer
    // with the project's JSON error body, not Fastify's own.
    frameworkErrors: handleFrameworkError,
    ajv: {
      // No coercion: a number where a string belongs (a password of 123) is a client error,
      // not a string "123". Route schemas must declare path/query values as strings.
      customOptions: { coerceTypes: false, allErrors: false },
    },
    // Responses while shutting down say 503 and close the connection (Fastify default, explicit).
    return503OnClosing: true,
  });

  // Scripts often send Content-Type: application/json on every request, also on a DELETE that has
  // no body (DELETE /delete/user/u1). That is no JSON at all rather than malformed JSON.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (body === "" && request.method === "DELETE") return done(null, undefined);
    // No route (404) or wrong method (405): say so, whatever the body is; it is never used.
    if (request.is404) return done(null, undefined);
    parseJson(request, body as string, (error, value) => {
      // The default parser refuses prototype-poisoning keys with the same "not valid JSON" error
      // as broken JSON; tell the caller which of the two it is.
      if (error && isWellFormedJson(body as string)) return done(forbiddenKeyError(), undefined);
      done(error, value);
    });
  });
  // Fastify reads text/plain bodies as strings, so a JSON body sent as text/plain (what
  // fetch(url, {method: "POST", body: JSON.stringify(x)}) sends) met a confusing "body must be
  // object". Without the parser it gets the "send it with Content-Type: application/json" 400.
  app.removeContentTypeParser("text/plain");

  const keys = toKeySetSource(deps.keySet);
  // Process-wide, like the cores and the libuv pool they share out: the last server built wins.
  hashSlots.configure({
    maxConcurrent: settings.passwords.maxConcurrentHashes,
    maxQueued: settings.passwords.maxQueuedHashes,
  });
  hashThreads.configure({ nice: settings.passwords.hashThreadNice });

  const context: AppContext = Object.freeze({
    settings,
    db: deps.db,
    keys,
    adminService: deps.adminService,
    signingKeys: deps.signingKeys ?? createSigningKeyService(deps.db, settings, { kek: null }),
    sessions: deps.sessions,
    tokenIssuer: createTokenIssuer({
      signingKey: () => keys.current().signingKey,
      lifetimeSeconds: settings.token.lifetimeSeconds,
      issuer: settings.token.issuer,
      profile: settings.token.profile,
      now: deps.now,
    }),
    tokenVerifier: createTokenVerifier(keys, {
      ...tokenVerifierOptions(settings.token),
      now: deps.now,
    }),
    guessing: createGuessingPolicy(deps.db, settings.login.guessing, deps.now),
    audit: createAuditTrail(deps.db, app.log),
  });

  const { keyRefresher } = deps;
  if (keyRefresher) {
    app.addHook("onReady", () => keyRefresher.start());
    app.addHook("onClose", () => keyRefresher.close());
  }

  if (deps.listenForRevocations ?? true) {
    let listener: { close(): Promise<void> } | null = null;
    app.addHook("onReady", async () => {
      listener = await listenForRevocations(deps.db, deps.sessions, app.log);
    });
    app.addHook("onClose", async () => {
      await listener?.close();
    });
  }

  const registry = recordRoutes(app);
  installErrorHandling(app, registry);

  // Fastify loads registered plugins in order at ready(): root plugins first, so their hooks
  // see the core routes, which are therefore declared in a plugin too, not inline. The metrics'
  // request hook comes before all of them, so it counts every route.
  app.register(
    fastifyPlugin(async (root: FastifyInstance) => {
      await registerMetrics(root, settings, deps.db);
    }),
  );
  for (const plugin of deps.rootPlugins ?? []) {
    app.register(
      fastifyPlugin(async (root: FastifyInstance) => {
        await plugin(root, context);
      }),
    );
  }
  const readiness = deps.readiness ?? createReadinessProbe(deps.db, keys);
  app.register(async (scope) => {
    registerTokenRoutes(scope, context);
    registerDiscoveryRoutes(scope, context);
    registerHealthRoutes(scope, readiness);
  });

  for (const plugin of deps.plugins ?? []) {
    app.register(async (scope) => {
      await plugin(scope, context);
    });
  }
  return app;
}

function isWellFormedJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Reported by the error handler as 400 with a message naming the refused keys. */
export const FORBIDDEN_JSON_KEY = "TL_FORBIDDEN_JSON_KEY";

function forbiddenKeyError(): Error {
  return Object.assign(new Error("the request body contains a forbidden key"), {
    code: FORBIDDEN_JSON_KEY,
    statusCode: 400,
  });
}

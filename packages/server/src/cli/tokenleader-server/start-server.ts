import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { createAuditTrail, recordSigningKeyEvent, startAuditRetention } from "../../audit/index.js";
import { bootstrapFirstAdmin, firstAdminNotice } from "../../bootstrap/index.js";
import type { Settings } from "../../config/index.js";
import { loadSettings } from "../../config/index.js";
import { applyMigrations, type Database, migrationStatus, openDatabase } from "../../db/index.js";
import { buildServer, type ServerPlugin, standardPlugins } from "../../http/index.js";
import { loadKeySet } from "../../keys/index.js";
import { createAdminService } from "../../services/index.js";
import { SessionStore, sessionRevocationHooks } from "../../sessions/index.js";
import type { ServerArgs } from "./parse-args.js";
import { chooseLogFormat, createServerLogger } from "./server-logger.js";

// Everything `tokenleader-server` does before serving, as a plain function: settings, logger,
// database (+ migrations), keys, first administrator, HTTP app, listen. Errors propagate (typed)
// to main.ts, which turns them into one line and an exit status.

export class StartupError extends Error {
  readonly code = "STARTUP_FAILED";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StartupError";
  }
}

export interface StartServerOptions extends ServerArgs {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Where the one-time administrator password notice goes (the console). */
  print?: (text: string) => void;
  /** Replaces standardPlugins() (embedding, tests). */
  plugins?: { rootPlugins?: readonly ServerPlugin[]; plugins?: readonly ServerPlugin[] };
}

export interface RunningServer {
  app: FastifyInstance;
  settings: Settings;
  logger: Logger;
  /** The address actually listened on, e.g. "http://127.0.0.1:5001". */
  address: string;
  /** Stops accepting, lets in-flight requests finish, closes the database. */
  stop(): Promise<void>;
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const print = options.print ?? ((text: string) => process.stdout.write(text));
  // Flags win over everything; the loader checks them and names the flag in its problems.
  const settings = loadSettings({
    configPath: options.configPath,
    cwd: options.cwd,
    env,
    overrides: { host: options.host, port: options.port, migrateOnStart: options.migrate },
  });
  const logFormat = chooseLogFormat({ isTTY: process.stdout.isTTY === true, env });
  const logger = createServerLogger(settings.server.logLevel, undefined, logFormat);
  for (const warning of settings.warnings) logger.warn(warning);
  if (settings.server.ssl.enabled) {
    throw new StartupError(
      `[flask_default] ssl = enabled is not supported by tokenleader-server (no ad-hoc certificates): ` +
        "set ssl = disabled and terminate TLS in a reverse proxy (see README)",
    );
  }

  // Keys before the database: a key problem is a configuration mistake, reported at once.
  const { keySet, generated } = await loadKeySet({
    ...settings.token,
    dataDir: settings.server.dataDir,
  });
  if (generated) {
    logger.info(
      { file: generated.privateKeyFile, publicKey: generated.publicKeyFile },
      "signing key generated",
    );
  }
  logger.info(
    {
      kid: keySet.signingKey.kid,
      algorithm: keySet.signingKey.algorithm,
      source: keySet.signingKey.source,
    },
    "signing key loaded",
  );

  const db = await openDatabase(settings.db.url);
  try {
    logger.info({ database: db.redactedUrl, provider: db.provider }, "database opened");
    const migrated = await prepareSchema(db, settings, logger);

    // Changing or deleting a user ends their cookie-login sessions: through the app's own store,
    // so its caches forget the user at once.
    const sessions = new SessionStore(db);
    const adminService = createAdminService(db, settings, sessionRevocationHooks(sessions));
    const app = buildServer(settings, {
      db,
      keySet,
      adminService,
      sessions,
      logger,
      ...(options.plugins ?? standardPlugins()),
    });
    try {
      // Plugins load here (ACL map, login users file…): their errors name their own files.
      await app.ready();
    } catch (error) {
      await app.close().catch(() => {});
      logger.error({ reason: (error as Error).message }, "the HTTP application could not start");
      throw new StartupError((error as Error).message, { cause: error });
    }
    // After the app is ready: a configuration error of a plugin must stop the start before the
    // first administrator is created and its password printed.
    // The audit trail's table exists once the schema is up to date.
    let stopAuditRetention = () => {};
    if (migrated) {
      await recordSigningKeyEvent(
        db,
        createAuditTrail(db, logger),
        keySet.signingKey,
        generated !== null,
      );
      stopAuditRetention = startAuditRetention(db, settings.audit.retentionDays, logger);
    }
    if (migrated) {
      const bootstrap = await bootstrapFirstAdmin(db, adminService, {
        dataDir: settings.server.dataDir,
        passwordMinLength: settings.passwords.minLength,
      }).catch(async (error: unknown) => {
        await app.close().catch(() => {});
        throw error;
      });
      if (bootstrap.created) {
        // Straight to the console, not the log: the log must never hold a password.
        print(firstAdminNotice(bootstrap));
        logger.info(
          { username: bootstrap.username, file: bootstrap.passwordFile },
          "initial administrator created",
        );
      }
    }

    let address: string;
    try {
      address = await app.listen({ host: settings.server.host, port: settings.server.port });
    } catch (error) {
      await app.close().catch(() => {});
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === "EADDRINUSE"
          ? "the address is already in use"
          : code === "EACCES"
            ? "permission denied"
            : String((error as Error).message);
      throw new StartupError(
        `cannot listen on ${settings.server.host}:${settings.server.port}: ${why}; ` +
          "choose another [flask_default] host_port / --port",
        { cause: error },
      );
    }
    logger.info({ address, publicUrl: settings.server.publicUrl }, "tokenleader-server listening");

    let stopping: Promise<void> | null = null;
    return {
      app,
      settings,
      logger,
      address,
      stop() {
        stopping ??= (async () => {
          stopAuditRetention();
          try {
            await app.close();
          } finally {
            await db.close();
          }
        })();
        return stopping;
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/** Applies pending migrations when allowed. Returns whether the schema is up to date. */
async function prepareSchema(db: Database, settings: Settings, logger: Logger): Promise<boolean> {
  if (settings.server.migrateOnStart) {
    const { applied } = await applyMigrations(db);
    if (applied.length > 0) logger.info({ applied }, "database migrations applied");
    return true;
  }
  const status = await migrationStatus(db);
  if (status.initialised && status.pending.length === 0 && status.failed.length === 0) return true;
  // Serving anyway lets /readyz say why (503) while a separate job migrates the database.
  logger.warn(
    { pending: status.pending, failed: status.failed },
    "database migrations are not applied and migrate_on_start is off: not ready until `adminops initdb` runs",
  );
  return false;
}

import type { Server as HttpsServer } from "node:https";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { createAuditTrail, recordSigningKeyEvent, startAuditRetention } from "../../audit/index.js";
import { bootstrapFirstAdmin, firstAdminNotice } from "../../bootstrap/index.js";
import type { Settings } from "../../config/index.js";
import { loadSettings } from "../../config/index.js";
import {
  applyMigrations,
  type Database,
  migrationStatus,
  openDatabase,
  withMigrationLock,
} from "../../db/index.js";
import { checkDeploymentIssuer } from "../../deployment/index.js";
import {
  buildServer,
  type GracefulShutdown,
  prepareGracefulShutdown,
  type ServerPlugin,
  type ShutdownReport,
  standardPlugins,
} from "../../http/index.js";
import {
  createKeyRing,
  createKeySetRefresher,
  KEY_ENCRYPTION_KEY_ENV,
  loadDatabaseKeySet,
  publishSigningPublicKey,
  resolveKeyEncryptionKey,
} from "../../keys/index.js";
import { createAdminService, createSigningKeyService } from "../../services/index.js";
import { SessionStore, sessionRevocationHooks } from "../../sessions/index.js";
import {
  createTlsReloader,
  describeTlsMaterial,
  loadTlsMaterial,
  type TlsMaterial,
  warnIfExpiring,
} from "../../tls/index.js";
import type { ServerArgs } from "./parse-args.js";
import { chooseLogFormat, createServerLogger } from "./server-logger.js";

// Everything `tokenleader-server` does before serving, as a plain function: settings, logger,
// TLS certificate, database (+ migrations), the deployment's issuer and keys (shared through the database), first
// administrator, HTTP app, listen. Errors propagate (typed)
// to main.ts, which turns them into one line and an exit status.

export class StartupError extends Error {
  readonly code = "STARTUP_FAILED";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StartupError";
  }
}

export interface StartServerOptions extends ServerArgs {
  /** Settings main.ts loaded already (it reads `workers` before choosing how to start). */
  settings?: Settings;
  /** Added to every log line, e.g. `{ worker: 3 }` in a cluster worker. */
  logBindings?: Record<string, unknown>;
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
  /**
   * Stops accepting, answers in-flight requests (with Connection: close), closes kept-alive
   * connections, destroys what is left at `[server] shutdown_timeout`, closes the database.
   */
  stop(): Promise<ShutdownReport>;
  /** SIGHUP: reads the TLS certificate files again (a bad file is logged; the old one stays). */
  reload(): Promise<void>;
}

/** The settings of a start: file, environment, then the command-line flags, which win. */
export function loadServerSettings(options: StartServerOptions = {}): Settings {
  // The loader checks the flags and names the flag in its problems.
  return loadSettings({
    configPath: options.configPath,
    cwd: options.cwd,
    env: options.env ?? process.env,
    overrides: {
      host: options.host,
      port: options.port,
      migrateOnStart: options.migrate,
      issuerChange: options.issuerChange,
      workers: options.workers,
    },
  });
}

export function createStartLogger(settings: Settings, options: StartServerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const logFormat = chooseLogFormat({ isTTY: process.stdout.isTTY === true, env });
  const logger = createServerLogger(settings.server.logLevel, undefined, logFormat);
  return options.logBindings ? logger.child(options.logBindings) : logger;
}

/** startServer without the listening: what the application needs, open and ready. */
interface PreparedServer {
  app: FastifyInstance;
  settings: Settings;
  logger: Logger;
  db: Database;
  stopAuditRetention: () => void;
  /** Drains the app's connections, then closes the app and the database (once). */
  shutdown: GracefulShutdown;
  /** The certificate served when TLS is on. */
  tls: TlsMaterial | null;
}

/**
 * The one-time start work without serving: migrations, the deployment's issuer and signing key,
 * the first administrator (its password printed), the application's plugins loaded once to
 * prove the configuration. The cluster primary runs it before forking workers, so they find it
 * all done and a configuration error is reported once, not by every worker.
 */
export async function prepareDeployment(options: StartServerOptions = {}): Promise<void> {
  const prepared = await prepareServer(options);
  prepared.stopAuditRetention();
  try {
    await prepared.app.close();
  } finally {
    await prepared.db.close();
  }
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const { app, settings, logger, db, stopAuditRetention, shutdown, tls } =
    await prepareServer(options);
  try {
    let address: string;
    try {
      address = await app.listen({ host: settings.server.host, port: settings.server.port });
    } catch (error) {
      stopAuditRetention();
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

    const tlsReloader =
      tls && settings.server.tls
        ? createTlsReloader({
            server: app.server as unknown as HttpsServer,
            tls: settings.server.tls,
            current: tls,
            logger,
          })
        : null;
    return {
      app,
      settings,
      logger,
      address,
      stop: () => shutdown.shutdown(),
      async reload() {
        if (tlsReloader === null) {
          logger.info("SIGHUP: nothing to reload (no TLS certificate files)");
          return;
        }
        await tlsReloader.reload();
      },
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

async function prepareServer(options: StartServerOptions): Promise<PreparedServer> {
  const env = options.env ?? process.env;
  const print = options.print ?? ((text: string) => process.stdout.write(text));
  const settings = options.settings ?? loadServerSettings(options);
  const logger = createStartLogger(settings, options);
  for (const warning of settings.warnings) logger.warn(warning);
  // Before the database: a wrong certificate file is a configuration mistake, reported at once.
  const tls = await loadTlsMaterial(settings.server);
  if (tls) {
    logger.info(describeTlsMaterial(tls), "TLS certificate loaded");
    warnIfExpiring(tls, logger);
  }

  // The key-encryption key before the database: a missing or malformed one is a configuration
  // mistake, reported at once.
  const kek = await resolveKeyEncryptionKey({
    file: settings.token.keyEncryptionKeyFile,
    envValue: env[KEY_ENCRYPTION_KEY_ENV],
    dataDir: settings.server.dataDir,
  });
  if (kek.generated) {
    logger.warn(
      { file: kek.source },
      "key-encryption key generated in the data directory: every further instance of this deployment needs the same key ([token] key_encryption_key_file or TOKENLEADER_KEY_ENCRYPTION_KEY)",
    );
  }

  // One process at a time opens and migrates: servers starting together on an empty database
  // (or workers of several hosts) must not race the schema engine (see migration-lock.ts).
  const db = await withMigrationLock(
    settings.db.url,
    async () => {
      const opened = await openDatabase(settings.db.url, {
        postgresPool: {
          connectTimeoutMs: settings.db.connectTimeoutMs,
          statementTimeoutMs: settings.db.statementTimeoutMs,
          poolSize: settings.db.poolSize,
          // The pool has dropped that connection already; one line, no stack (a database
          // restart ends every idle connection at once).
          onConnectionError: (error) =>
            logger.warn({ reason: error.message }, "an idle database connection failed; replaced"),
        },
      });
      try {
        logger.info({ database: opened.redactedUrl, provider: opened.provider }, "database opened");
        await prepareSchema(opened, settings, logger);
        return opened;
      } catch (error) {
        await opened.close().catch(() => {});
        throw error;
      }
    },
    { onWaiting: () => logger.info("waiting for another process to open or migrate the database") },
  );
  try {
    const issuer = await checkDeploymentIssuer(db, settings.token.issuer, {
      issuerChange: settings.server.issuerChange,
    });
    if (issuer.outcome === "changed") {
      logger.warn(
        { issuer: settings.token.issuer, previous: issuer.previous },
        "the deployment's issuer changed (--issuer-change): tokens of the previous issuer are refused",
      );
    }
    const { keySet, keys, stored, ignoredKeyFile, algorithmWarning } = await loadDatabaseKeySet(
      db,
      { ...settings.token, dataDir: settings.server.dataDir },
      kek,
    );
    if (stored) logger.info({ origin: stored.origin }, "signing key stored in the database");
    if (algorithmWarning) logger.warn(algorithmWarning);
    if (ignoredKeyFile) {
      logger.warn(
        { file: ignoredKeyFile },
        "[token] private_key_file_location is not the deployment's signing key, which the database already holds: the file is ignored",
      );
    }
    logger.info(
      {
        kid: keySet.signingKey.kid,
        algorithm: keySet.signingKey.algorithm,
        source: keySet.signingKey.source,
        publicKey: await publishSigningPublicKey(settings.server.dataDir, keySet.signingKey),
      },
      "signing key loaded",
    );

    // Changing or deleting a user ends their cookie-login sessions: through the app's own store,
    // so its caches forget the user at once.
    const sessions = new SessionStore(db);
    const adminService = createAdminService(db, settings, sessionRevocationHooks(sessions));
    // Every part of the app reads the keys from the ring; the refresher keeps it in step with
    // the database (rotations and retirements by any instance or adminops), the ring itself
    // switches at each activation time.
    const ring = createKeyRing(keys);
    const keyRefresher = createKeySetRefresher({
      db,
      kek,
      ring,
      intervalMs: settings.token.keySetRefreshSeconds * 1000,
      log: logger,
    });
    const signingKeys = createSigningKeyService(db, settings, {
      kek,
      afterChange: () => keyRefresher.refresh(),
    });
    const app = buildServer(settings, {
      db,
      keySet: ring,
      keyRefresher,
      signingKeys,
      adminService,
      sessions,
      logger,
      tls,
      ...(options.plugins ?? standardPlugins()),
    });
    let stopAuditRetention = () => {};
    // Before the app is ready: it adds the hook that answers with Connection: close while draining.
    const shutdown = prepareGracefulShutdown(app, {
      drainTimeoutMs: settings.server.shutdownTimeoutMs,
      log: logger,
      closeResources: async () => {
        stopAuditRetention();
        await db.close();
      },
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
    await recordSigningKeyEvent(
      db,
      createAuditTrail(db, logger),
      keySet.signingKey,
      stored?.origin === "generated",
    );
    stopAuditRetention = startAuditRetention(db, settings.audit.retentionDays, logger);
    const bootstrap = await bootstrapFirstAdmin(db, adminService, {
      dataDir: settings.server.dataDir,
      passwordMinLength: settings.passwords.minLength,
    }).catch(async (error: unknown) => {
      stopAuditRetention();
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

    return {
      app,
      settings,
      logger,
      db,
      stopAuditRetention: () => stopAuditRetention(),
      shutdown,
      tls,
    };
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
}

/** Applies pending migrations when allowed; refuses to go on without an up-to-date schema. */
async function prepareSchema(db: Database, settings: Settings, logger: Logger): Promise<void> {
  if (settings.server.migrateOnStart) {
    const { applied } = await applyMigrations(db);
    if (applied.length > 0) logger.info({ applied }, "database migrations applied");
    return;
  }
  const status = await migrationStatus(db);
  if (status.initialised && status.pending.length === 0 && status.failed.length === 0) return;
  // The signing keys and the deployment's issuer live in the database: without its tables this
  // instance could only sign with a key of its own, which the other instances would refuse.
  const problem = status.failed.length
    ? `has failed migrations (${status.failed.join(", ")})`
    : `is missing ${status.pending.length} migrations`;
  throw new StartupError(
    `the database at ${db.redactedUrl} ${problem} and [server] migrate_on_start is off: ` +
      "run adminops initdb first, or start with --migrate",
  );
}

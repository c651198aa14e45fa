import type { Server as HttpsServer } from "node:https";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { createAuditTrail, recordSigningKeyEvent, startAuditRetention } from "../../audit/index.js";
import { bootstrapFirstAdmin, firstAdminNotice } from "../../bootstrap/index.js";
import type { Settings } from "../../config/index.js";
import { loadSettings } from "../../config/index.js";
import { applyMigrations, type Database, migrationStatus, openDatabase } from "../../db/index.js";
import { checkDeploymentIssuer } from "../../deployment/index.js";
import { buildServer, type ServerPlugin, standardPlugins } from "../../http/index.js";
import {
  KEY_ENCRYPTION_KEY_ENV,
  loadDatabaseKeySet,
  publishSigningPublicKey,
  resolveKeyEncryptionKey,
} from "../../keys/index.js";
import { createAdminService } from "../../services/index.js";
import { SessionStore, sessionRevocationHooks } from "../../sessions/index.js";
import {
  createTlsReloader,
  describeTlsMaterial,
  loadTlsMaterial,
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
  /** SIGHUP: reads the TLS certificate files again (a bad file is logged; the old one stays). */
  reload(): Promise<void>;
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const print = options.print ?? ((text: string) => process.stdout.write(text));
  // Flags win over everything; the loader checks them and names the flag in its problems.
  const settings = loadSettings({
    configPath: options.configPath,
    cwd: options.cwd,
    env,
    overrides: {
      host: options.host,
      port: options.port,
      migrateOnStart: options.migrate,
      issuerChange: options.issuerChange,
    },
  });
  const logFormat = chooseLogFormat({ isTTY: process.stdout.isTTY === true, env });
  const logger = createServerLogger(settings.server.logLevel, undefined, logFormat);
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

  const db = await openDatabase(settings.db.url);
  try {
    logger.info({ database: db.redactedUrl, provider: db.provider }, "database opened");
    await prepareSchema(db, settings, logger);

    const issuer = await checkDeploymentIssuer(db, settings.token.issuer, {
      issuerChange: settings.server.issuerChange,
    });
    if (issuer.outcome === "changed") {
      logger.warn(
        { issuer: settings.token.issuer, previous: issuer.previous },
        "the deployment's issuer changed (--issuer-change): tokens of the previous issuer are refused",
      );
    }
    const { keySet, stored, ignoredKeyFile } = await loadDatabaseKeySet(
      db,
      { ...settings.token, dataDir: settings.server.dataDir },
      kek,
    );
    if (stored) logger.info({ origin: stored.origin }, "signing key stored in the database");
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
    const app = buildServer(settings, {
      db,
      keySet,
      adminService,
      sessions,
      logger,
      tls,
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
    await recordSigningKeyEvent(
      db,
      createAuditTrail(db, logger),
      keySet.signingKey,
      stored?.origin === "generated",
    );
    const stopAuditRetention = startAuditRetention(db, settings.audit.retentionDays, logger);
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

    const tlsReloader =
      tls && settings.server.tls
        ? createTlsReloader({
            server: app.server as unknown as HttpsServer,
            tls: settings.server.tls,
            current: tls,
            logger,
          })
        : null;
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

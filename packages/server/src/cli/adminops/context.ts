import { userInfo } from "node:os";
import { type CliIo, escapeJsonForTerminal } from "@tokenleader/client/terminal";
import { loadSettings } from "../../config/load-settings.js";
import type { Settings } from "../../config/settings-types.js";
import type { Database } from "../../db/open-database.js";
import type { AdminService, AdminServiceHooks } from "../../services/admin-service.js";

/** Options every command accepts. */
export interface AdminopsGlobals {
  config?: string;
  db?: string;
  json: boolean;
  verbose: boolean;
  yes: boolean;
}

export interface AdminopsEnvironment {
  env: Record<string, string | undefined>;
  cwd: string;
  hooks?: AdminServiceHooks;
}

/**
 * What a command gets besides its arguments: the io, the global flags, and lazily loaded
 * settings, database and service layer (opened on first use, closed by the runner).
 */
export interface AdminopsContext {
  readonly io: CliIo;
  readonly globals: AdminopsGlobals;
  /** The environment adminops runs in (TOKENLEADER_KEY_ENCRYPTION_KEY for `keys rotate`). */
  readonly env: Record<string, string | undefined>;
  /** The directory relative paths of arguments are resolved against. */
  readonly cwd: string;
  /** Loads and validates the settings once (throws SettingsError). */
  settings(): Settings;
  /** Opens the database; unless `migrated: false`, refuses one that `initdb` has not set up. */
  database(options?: { migrated?: boolean }): Promise<Database>;
  adminService(): Promise<AdminService>;
  /** Who the audit trail names for this run's changes: "adminops:<OS user>". */
  readonly auditActor: string;
  /** Prints `json` as JSON with --json, else the text `human()` returns. */
  print(human: () => string, json: unknown): void;
}

export function createAdminopsContext(
  io: CliIo,
  globals: AdminopsGlobals,
  environment: AdminopsEnvironment,
): { context: AdminopsContext; close(): Promise<void> } {
  let settings: Settings | undefined;
  let database: Promise<Database> | undefined;
  let migrationChecked: Promise<void> | undefined;
  const loadOnce = () => {
    if (!settings) {
      settings = loadSettings({
        configPath: globals.config,
        env: environment.env,
        cwd: environment.cwd,
        overrides: { dbUrl: globals.db },
      });
      for (const warning of settings.warnings) io.err(`adminops: warning: ${warning}\n`);
    }
    return settings;
  };
  const context: AdminopsContext = {
    io,
    globals,
    env: environment.env,
    cwd: environment.cwd,
    settings: loadOnce,
    async database(options = {}) {
      // Imported on first use: `adminops --help` and usage errors never load Prisma.
      const url = loadOnce().db.url;
      // Only initdb (migrated: false) may create a missing SQLite file; every other command
      // reports "not initialised" and leaves no empty file behind.
      const create = options.migrated === false;
      database ??= import("../../db/open-database.js").then(({ openDatabase }) =>
        openDatabase(url, { create }),
      );
      const db = await database;
      if (options.migrated ?? true) {
        migrationChecked ??= import("../../db/migrations.js").then(({ assertDatabaseMigrated }) =>
          assertDatabaseMigrated(db),
        );
        await migrationChecked;
      }
      return db;
    },
    auditActor: adminopsActor(environment.env),
    async adminService() {
      const { createAdminService } = await import("../../services/admin-service.js");
      return createAdminService(await context.database(), loadOnce(), environment.hooks, {
        actor: context.auditActor,
      });
    },
    print(human, json) {
      io.out(globals.json ? `${escapeJsonForTerminal(JSON.stringify(json, null, 2))}\n` : human());
    },
  };
  return {
    context,
    async close() {
      if (!database) return;
      const db = await database.catch(() => undefined);
      await db?.close();
    },
  };
}

/**
 * The audit actor of adminops' changes: "adminops:<OS user>" (the account running it, from the
 * uid; the environment only when that has no name), or "adminops" when unknown.
 */
export function adminopsActor(env: Record<string, string | undefined>): string {
  let name: string | undefined;
  try {
    name = userInfo().username;
  } catch {
    // No passwd entry for this uid (some containers).
    name = env.USER ?? env.LOGNAME;
  }
  return name ? `adminops:${name}` : "adminops";
}

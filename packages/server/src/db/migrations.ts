// Applying the committed migrations and reporting where a database stands. Bookkeeping is Prisma's
// own `_prisma_migrations` table, written by Prisma's schema engine (WebAssembly), so a database
// migrated here and one migrated by `prisma migrate deploy` are interchangeable.
import { createAdapterFactory } from "./adapter-factory.js";
import { parseDatabaseUrl, scrubPasswords } from "./database-url.js";
import {
  DatabaseMigrationFailedError,
  DatabaseNotInitialisedError,
  DatabaseUnreachableError,
} from "./errors.js";
import { readMigrationFolders, readMigrationList } from "./migration-files.js";
import type { Database } from "./open-database.js";
import { migrationsDirPath } from "./prisma-paths.js";
import { noSchemaFilter, openSchemaEngine, schemaEngineErrorMessage } from "./schema-engine.js";

export interface MigrationOptions {
  /** Defaults to prisma/migrations/<provider> of this checkout / installation. */
  migrationsDir?: string;
  /**
   * migrationStatus only: the names of the migrations this version ships, when the caller has
   * read them already (`shippedMigrationNames`), so frequent checks do not read the folders.
   */
  shippedNames?: readonly string[];
}

/** The names of the migrations this version ships, oldest first. */
export async function shippedMigrationNames(
  db: Database,
  options: MigrationOptions = {},
): Promise<string[]> {
  const migrationsDir = options.migrationsDir ?? migrationsDirPath(db.provider);
  return (await readMigrationFolders(migrationsDir)).map((m) => m.name);
}

export interface MigrationStatus {
  /** True once at least one migration has been applied successfully. */
  initialised: boolean;
  /** Migrations shipped with this version and not yet applied, oldest first. */
  pending: string[];
  /** Migrations recorded as applied, oldest first. */
  applied: string[];
  /** Migrations recorded as started but never finished (a failed run; needs an operator). */
  failed: string[];
}

/**
 * Applies every pending migration, in order, each recorded in `_prisma_migrations`. Idempotent: a
 * database that is up to date gets nothing applied and `applied` is empty, and the schema engine is
 * not even started, so this works while other processes (a running server) use the database. On
 * SQLite, pending migrations need the file to themselves: DB_MIGRATION_FAILED says so otherwise.
 * @throws DatabaseUnreachableError, DatabaseMigrationFailedError
 */
export async function applyMigrations(
  db: Database,
  options: MigrationOptions = {},
): Promise<{ applied: string[] }> {
  const migrationsDir = options.migrationsDir ?? migrationsDirPath(db.provider);
  // Read first, without the engine: on SQLite the engine needs the file to itself, so opening it
  // when there is nothing to do would fail whenever a running server (or any other process) has
  // the file open. An up-to-date database is the common case (every server start, every initdb).
  const status = await migrationStatus(db, { migrationsDir });
  if (status.pending.length === 0 && status.failed.length === 0) return { applied: [] };
  const migrationsList = await readMigrationList(db.provider, migrationsDir);
  // The engine gets its own connection. On SQLite it takes the file in exclusive locking mode,
  // which fails while any other connection has read from it, so the client lets go of its
  // connection first (it reconnects by itself on its next query; foreign keys stay on because
  // better-sqlite3 is built with SQLITE_DEFAULT_FOREIGN_KEYS).
  if (db.provider === "sqlite") await db.prisma.$disconnect();
  let session: Awaited<ReturnType<typeof openSchemaEngine>>;
  try {
    session = await openSchemaEngine(createAdapterFactory(parseDatabaseUrl(db.url)));
  } catch (error) {
    throw new DatabaseUnreachableError(db.redactedUrl, clean(error, db), { cause: error });
  }
  try {
    const result = await session.engine.applyMigrations({
      migrationsList,
      filters: noSchemaFilter,
    });
    return { applied: result.appliedMigrationNames };
  } catch (error) {
    const reason = clean(error, db);
    if (db.provider === "sqlite" && reason.includes("SocketTimeout")) {
      const count = status.pending.length;
      throw new DatabaseMigrationFailedError(
        `migrating the database at ${db.redactedUrl} failed: ${count} pending migration${count === 1 ? "" : "s"} (${status.pending.join(", ")}) cannot be applied while another process has the file open: ` +
          "stop the tokenleader-server (or other program) using it and run adminops initdb again, " +
          "or restart tokenleader-server alone and let it apply them at its start",
        { cause: error },
      );
    }
    throw new DatabaseMigrationFailedError(
      `migrating the database at ${db.redactedUrl} failed: ${reason}`,
      { cause: error },
    );
  } finally {
    await session.close();
  }
}

/**
 * Where the database stands against the migrations this version ships. Read straight from
 * `_prisma_migrations` (no schema engine), so it is cheap enough for every start-up.
 * @throws DatabaseUnreachableError
 */
export async function migrationStatus(
  db: Database,
  options: MigrationOptions = {},
): Promise<MigrationStatus> {
  const shipped = options.shippedNames ?? (await shippedMigrationNames(db, options));
  let rows: { migration_name: string; finished_at: unknown; rolled_back_at: unknown }[] = [];
  try {
    if (await hasMigrationsTable(db)) {
      rows = await db.prisma.$queryRawUnsafe(
        "SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at, migration_name",
      );
    }
  } catch (error) {
    throw new DatabaseUnreachableError(db.redactedUrl, clean(error, db), { cause: error });
  }
  const live = rows.filter((r) => r.rolled_back_at === null);
  const applied = live.filter((r) => r.finished_at !== null).map((r) => r.migration_name);
  const failed = live.filter((r) => r.finished_at === null).map((r) => r.migration_name);
  const appliedSet = new Set(applied);
  return {
    initialised: applied.length > 0,
    pending: shipped.filter((name) => !appliedSet.has(name)),
    applied,
    failed,
  };
}

/**
 * For everything except `adminops initdb`: refuse to work on a database that is not migrated.
 * @throws DatabaseNotInitialisedError (DB_NOT_INITIALISED), DatabaseUnreachableError
 */
export async function assertDatabaseMigrated(
  db: Database,
  options: MigrationOptions = {},
): Promise<void> {
  const status = await migrationStatus(db, options);
  if (!status.initialised || status.pending.length > 0) {
    throw new DatabaseNotInitialisedError(db.redactedUrl, status.pending, status.initialised);
  }
}

async function hasMigrationsTable(db: Database): Promise<boolean> {
  const rows: unknown[] =
    db.provider === "sqlite"
      ? await db.prisma.$queryRawUnsafe(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'",
        )
      : await db.prisma.$queryRawUnsafe(
          "SELECT 1 AS present WHERE to_regclass('_prisma_migrations') IS NOT NULL",
        );
  return rows.length > 0;
}

function clean(error: unknown, db: Database): string {
  return scrubPasswords(schemaEngineErrorMessage(error), db.url);
}

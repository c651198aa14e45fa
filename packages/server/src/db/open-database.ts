// openDatabase: one Prisma client on SQLite (embedded, a file) or PostgreSQL, chosen by the URL.
import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import BetterSqlite3 from "better-sqlite3";
import { createAdapterFactory } from "./adapter-factory.js";
import {
  type DatabaseProvider,
  type ParsedDatabaseUrl,
  parseDatabaseUrl,
  redactDatabaseUrl,
  scrubPasswords,
} from "./database-url.js";
import { DatabaseNotInitialisedError, DatabaseUnreachableError } from "./errors.js";
import { createHotStatements, type HotStatements } from "./hot-statements.js";
import { POSTGRES_POOL_DEFAULTS, type PostgresPoolOptions } from "./postgres-pool.js";
import type { PrismaClient } from "./prisma-client.js";
import { retryingReadsOnce } from "./retry-reads.js";

export interface Database {
  readonly prisma: PrismaClient;
  readonly provider: DatabaseProvider;
  /** Normalised URL (`file:/abs/path.db` or `postgresql://…`). May hold a password: never print it. */
  readonly url: string;
  /** The URL with its password replaced by `***`, for messages and logs. */
  readonly redactedUrl: string;
  /** Disconnects; safe to call more than once. */
  close(): Promise<void>;
  /** The PostgreSQL pool's connections (metrics); null on SQLite, which has no pool. */
  poolStats(): PoolStats | null;
  /** The statements of every login, run without Prisma's machinery where it pays (SQLite). */
  readonly hot: HotStatements;
}

export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  /** Queries waiting for a connection. */
  readonly waiting: number;
}

export interface OpenDatabaseOptions {
  /**
   * SQLite: create the file (and its directory) when missing (default true). With false, a
   * missing file is DB_NOT_INITIALISED and nothing is created: only `adminops initdb` and the
   * server create the database. No effect on PostgreSQL (a missing database fails to connect).
   */
  create?: boolean;
  /** PostgreSQL: the pool's timeouts and size (`[db]` settings); defaults otherwise. */
  postgresPool?: PostgresPoolOptions;
}

/**
 * Opens the database named by `url` and checks that it answers. Does not migrate: see
 * `applyMigrations` / `assertDatabaseMigrated`.
 * @throws DatabaseUrlInvalidError (DB_URL_INVALID), DatabaseUnreachableError (DB_UNREACHABLE),
 *   DatabaseNotInitialisedError (DB_NOT_INITIALISED: SQLite file missing and `create: false`)
 */
export async function openDatabase(
  url: string,
  options: OpenDatabaseOptions = {},
): Promise<Database> {
  const target = parseDatabaseUrl(url);
  const normalisedUrl =
    target.provider === "sqlite" ? `file:${target.filePath}` : target.connectionString;
  const redactedUrl = redactDatabaseUrl(normalisedUrl);
  const unreachable = (error: unknown) =>
    new DatabaseUnreachableError(
      redactedUrl,
      oneLineReason(
        scrubPasswords(error instanceof Error ? error.message : String(error), normalisedUrl),
      ),
      { cause: error },
    );

  if (target.provider === "sqlite") {
    if (options.create === false && !existsSync(target.filePath)) {
      throw new DatabaseNotInitialisedError(redactedUrl, [], false);
    }
    try {
      prepareSqliteFile(target.filePath);
    } catch (error) {
      throw unreachable(error);
    }
  }

  const pool = watchPool(
    createAdapterFactory(target, options.postgresPool ?? POSTGRES_POOL_DEFAULTS),
  );
  const prisma = await createPrismaClient(target, pool.factory);
  try {
    await prisma.$connect();
    // SQLite's per-connection settings (foreign keys, busy timeout…) are the adapter's: see
    // sqlite-adapter.ts. Either way, one query proves the database answers.
    await prisma.$queryRawUnsafe("SELECT 1");
  } catch (error) {
    await prisma.$disconnect().catch(() => {});
    throw unreachable(error);
  }

  let closing: Promise<void> | null = null;
  return {
    prisma,
    provider: target.provider,
    url: normalisedUrl,
    redactedUrl,
    close() {
      closing ??= prisma.$disconnect();
      return closing;
    },
    poolStats: pool.stats,
    hot: createHotStatements(prisma, pool.sqliteConnection),
  };
}

/**
 * Prisma wraps driver errors in several lines ("Invalid `prisma.$queryRawUnsafe()` invocation:
 * … Message: `Can't reach database server at …`"); the CLI promises one line, so keep the driver's
 * own message when there is one and fold any other text onto a single line.
 */
function oneLineReason(message: string): string {
  const driverMessage = /Message: `([^`]*)`/.exec(message)?.[1];
  return (driverMessage ?? message).replace(/\s+/g, " ").trim();
}

/**
 * How long a transaction may wait to start, and run. Prisma's defaults (2 s, 5 s) are too short
 * under a burst: on SQLite every transaction of a process queues for its one connection (and the
 * file's write lock), on PostgreSQL for a pool connection; a burst of a few hundred writes must
 * wait its turn, not fail.
 */
export const transactionOptions = { maxWait: 15_000, timeout: 15_000 } as const;

async function createPrismaClient(
  target: ParsedDatabaseUrl,
  adapter: SqlDriverAdapterFactory,
): Promise<PrismaClient> {
  // Loaded on demand: a deployment only ever loads the client of the provider it uses.
  if (target.provider === "sqlite") {
    const { PrismaClient } = await import("./generated/sqlite/client.js");
    return retryingReadsOnce(new PrismaClient({ adapter, transactionOptions }));
  }
  const { PrismaClient } = await import("./generated/postgresql/client.js");
  // Same models, same API (see prisma-client.ts).
  return retryingReadsOnce(
    new PrismaClient({ adapter, transactionOptions }) as unknown as PrismaClient,
  );
}

/**
 * The adapter factory, noting the driver of the connection it makes: on PostgreSQL a pg.Pool, whose
 * counts the metrics report. Prisma creates that pool inside the adapter and offers no other way
 * to reach it.
 */
function watchPool(inner: SqlDriverAdapterFactory): {
  factory: SqlDriverAdapterFactory;
  stats: () => PoolStats | null;
  /** The SQLite connection Prisma uses (null on PostgreSQL, or before it connected). */
  sqliteConnection: () => BetterSqlite3.Database | null;
} {
  let pool: PgPoolCounts | null = null;
  let sqlite: BetterSqlite3.Database | null = null;
  const factory: SqlDriverAdapterFactory = {
    provider: inner.provider,
    adapterName: inner.adapterName,
    async connect() {
      const adapter = await inner.connect();
      const driver = (adapter as { underlyingDriver?: () => unknown }).underlyingDriver?.();
      pool = isPgPool(driver) ? driver : null;
      sqlite = driver instanceof BetterSqlite3 ? driver : null;
      return adapter;
    },
  };
  const stats = () =>
    pool === null
      ? null
      : { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
  return { factory, stats, sqliteConnection: () => (sqlite?.open ? sqlite : null) };
}

interface PgPoolCounts {
  readonly totalCount: number;
  readonly idleCount: number;
  readonly waitingCount: number;
}

function isPgPool(driver: unknown): driver is PgPoolCounts {
  return (
    typeof driver === "object" &&
    driver !== null &&
    typeof (driver as PgPoolCounts).totalCount === "number" &&
    typeof (driver as PgPoolCounts).waitingCount === "number"
  );
}

/**
 * Creates the data directory and the file (0600: it holds password hashes) when missing, checks
 * the file is an SQLite database, and switches it to WAL (persistent in the file) so readers do
 * not block the writer.
 */
function prepareSqliteFile(filePath: string): void {
  mkdirSync(path.dirname(filePath), { recursive: true, mode: 0o700 });
  closeSync(openSync(filePath, "a", 0o600));
  const connection = new BetterSqlite3(filePath, { fileMustExist: true });
  try {
    connection.pragma("journal_mode = WAL");
    connection.prepare("SELECT count(*) FROM sqlite_master").get();
  } finally {
    connection.close();
  }
}

// One process at a time opens and migrates a database at start: several servers (or `--workers`
// of separate machines, or `adminops initdb`) starting together on an empty database must not
// apply the same migrations twice, and on SQLite nobody may even have the file open while
// Prisma's schema engine works on it (it takes the file in exclusive locking mode).
//
// The lock is one the operating system or the database server drops by itself when its holder
// dies (SIGKILL, a crash, a lost host), so a failed start never leaves a stale lock behind and no
// guessing about stale lock files (pids, ages) is needed:
// - SQLite: an exclusive transaction (`BEGIN EXCLUSIVE`) on a small lock database beside the
//   database file, `<file>.migration-lock`. SQLite's locks are POSIX advisory locks, released by
//   the kernel with the process. Not the database file itself: the schema engine needs that one
//   to itself, and the waiting processes must not hold it open.
// - PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) on a dedicated connection,
//   released by the server when the connection ends.
// Both are polled rather than waited for in the driver: better-sqlite3 would block the event loop.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { postgresConnectTimeoutMs } from "./adapter-factory.js";
import { parseDatabaseUrl, redactDatabaseUrl, scrubPasswords } from "./database-url.js";
import { DatabaseMigrationFailedError, DatabaseUnreachableError } from "./errors.js";

/** Longer than any migration this project ships takes, even on a loaded machine. */
export const MIGRATION_LOCK_WAIT_MS = 120_000;
const POLL_MS = 50;
/** Any fixed number: every tokenleader process of one database uses the same. */
const ADVISORY_LOCK_KEY = 7_263_150_214;

export interface MigrationLockOptions {
  waitMs?: number;
  /** Called once when another process holds the lock (for a log line). */
  onWaiting?: () => void;
}

interface HeldLock {
  release(): Promise<void>;
}

/**
 * Runs `work` (open the database, check or apply migrations) while holding the database's
 * migration lock. Waits for another holder up to `waitMs`, then fails with DB_MIGRATION_FAILED.
 * @throws DatabaseMigrationFailedError, DatabaseUnreachableError, and whatever `work` throws
 */
export async function withMigrationLock<T>(
  url: string,
  work: () => Promise<T>,
  options: MigrationLockOptions = {},
): Promise<T> {
  const lock = await acquireMigrationLock(url, options);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

async function acquireMigrationLock(url: string, options: MigrationLockOptions): Promise<HeldLock> {
  const target = parseDatabaseUrl(url);
  const waitMs = options.waitMs ?? MIGRATION_LOCK_WAIT_MS;
  if (target.provider === "sqlite") {
    const lockFile = `${target.filePath}.migration-lock`;
    let connection: BetterSqlite3.Database;
    try {
      mkdirSync(path.dirname(lockFile), { recursive: true, mode: 0o700 });
      connection = new BetterSqlite3(lockFile, { timeout: 0 });
    } catch (error) {
      throw new DatabaseUnreachableError(
        redactDatabaseUrl(url),
        `cannot open the migration lock ${lockFile}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const tryLock = async () => {
      try {
        connection.exec("BEGIN EXCLUSIVE");
        return true;
      } catch (error) {
        if (String((error as { code?: unknown }).code).startsWith("SQLITE_BUSY")) return false;
        throw error;
      }
    };
    await pollUntilLocked(tryLock, waitMs, options, lockFile, () => connection.close());
    return {
      async release() {
        connection.close(); // ends the transaction, and with it the lock
      },
    };
  }

  const client = new pg.Client({
    connectionString: target.connectionString,
    connectionTimeoutMillis: postgresConnectTimeoutMs,
    application_name: "tokenleader-migration-lock",
  });
  // A connection lost while holding the lock only loses the lock; the work's own queries report
  // the fault. Without a listener the error event would end the process.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw new DatabaseUnreachableError(
      redactDatabaseUrl(url),
      scrubPasswords((error as Error).message, url),
      { cause: error },
    );
  }
  const tryLock = async () => {
    const result = await client.query<{ locked: boolean }>(
      "SELECT pg_try_advisory_lock($1) AS locked",
      [ADVISORY_LOCK_KEY],
    );
    return result.rows[0]?.locked === true;
  };
  await pollUntilLocked(
    tryLock,
    waitMs,
    options,
    `the advisory lock ${ADVISORY_LOCK_KEY} of ${redactDatabaseUrl(url)}`,
    () => client.end(),
  );
  return {
    async release() {
      await client.end().catch(() => {}); // ending the session releases its advisory locks
    },
  };
}

async function pollUntilLocked(
  tryLock: () => Promise<boolean>,
  waitMs: number,
  options: MigrationLockOptions,
  what: string,
  giveUp: () => unknown,
): Promise<void> {
  const deadline = Date.now() + waitMs;
  let told = false;
  try {
    while (!(await tryLock())) {
      if (!told) {
        told = true;
        options.onWaiting?.();
      }
      if (Date.now() >= deadline) {
        throw new DatabaseMigrationFailedError(
          `another process has been opening or migrating the database for ${Math.round(waitMs / 1000)} s ` +
            `(it holds ${what}): let it finish, or stop it, then start again`,
        );
      }
      await sleep(POLL_MS);
    }
  } catch (error) {
    await giveUp();
    throw error;
  }
}

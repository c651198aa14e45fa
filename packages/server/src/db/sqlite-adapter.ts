// The SQLite driver adapter, made safe for several processes on one file (`--workers N`, or
// several servers on one data directory).
//
// Why not @prisma/adapter-better-sqlite3 as it comes: its transactions start with a plain
// (deferred) `BEGIN`. A deferred transaction reads first and takes the write lock only at its
// first write; when another process holds that lock then, SQLite answers SQLITE_BUSY at once,
// WITHOUT calling the busy handler (waiting could deadlock two readers that both want to write,
// so SQLite refuses instead), and in WAL mode a snapshot that another writer has moved past
// fails the same way (SQLITE_BUSY_SNAPSHOT). The adapter turns any SQLITE_BUSY into Prisma's
// "Operation has timed out": the 500s after 3–35 ms that issue 14 reports, although the busy
// timeout was 5 s. `BEGIN IMMEDIATE` takes the write lock at the start, where the busy handler
// does apply, so a busy database means a short wait, never an error.
//
// This wrapper keeps the adapter's statements and error mapping and replaces only how a
// transaction starts (and the per-process mutex that goes with it: one connection carries one
// transaction at a time). Every connection it opens also gets the per-connection settings.
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import { Mutex } from "async-mutex";

/**
 * How long a statement waits for another connection's write lock before SQLITE_BUSY. The wait
 * blocks this process's event loop (better-sqlite3 is synchronous), but only for as long as
 * another process's write transaction lasts: milliseconds in this application.
 */
export const sqliteBusyTimeoutMs = 5_000;

/**
 * Per connection (not stored in the file). `synchronous = NORMAL` is the documented choice for
 * WAL: a commit survives a crash of the process; only a power loss may lose the last commits,
 * never corrupt the file. Foreign keys are on by default in better-sqlite3's build; said again
 * so that no other build can silently turn them off.
 */
const CONNECTION_PRAGMAS = [
  `PRAGMA busy_timeout = ${sqliteBusyTimeoutMs}`,
  "PRAGMA synchronous = NORMAL",
  "PRAGMA foreign_keys = ON",
];

export function createSqliteAdapterFactory(
  filePath: string,
): SqlMigrationAwareDriverAdapterFactory {
  const inner = new PrismaBetterSqlite3({ url: filePath, timeout: sqliteBusyTimeoutMs });
  const prepare = async (connecting: Promise<SqlDriverAdapter>) => {
    const adapter = await connecting;
    for (const pragma of CONNECTION_PRAGMAS) {
      await adapter.executeRaw({ sql: pragma, args: [], argTypes: [] });
    }
    return new ImmediateTransactionsAdapter(adapter);
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: () => prepare(inner.connect()),
    connectToShadowDb: () => prepare(inner.connectToShadowDb()),
  };
}

const noArgs = (sql: string): SqlQuery => ({ sql, args: [], argTypes: [] });

class ImmediateTransactionsAdapter implements SqlDriverAdapter {
  readonly provider: SqlDriverAdapter["provider"];
  readonly adapterName: string;
  readonly #inner: SqlDriverAdapter;
  // One connection, so one transaction at a time per process; the others wait here (Prisma's
  // `maxWait` bounds that wait), not in SQLite's busy handler, which would block the event loop.
  readonly #mutex = new Mutex();

  constructor(inner: SqlDriverAdapter) {
    this.#inner = inner;
    this.provider = inner.provider;
    this.adapterName = inner.adapterName;
  }

  queryRaw(query: SqlQuery) {
    return this.#inner.queryRaw(query);
  }

  /** The better-sqlite3 connection under Prisma's adapter: hot-statements.ts runs on it. */
  underlyingDriver(): unknown {
    return (this.#inner as unknown as { client?: unknown }).client;
  }

  executeRaw(query: SqlQuery) {
    return this.#inner.executeRaw(query);
  }

  executeScript(script: string) {
    return this.#inner.executeScript(script);
  }

  dispose() {
    return this.#inner.dispose();
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    // SQLite transactions are serializable; the adapter refuses the other levels the same way.
    if (isolationLevel && isolationLevel !== "SERIALIZABLE") {
      throw new DriverAdapterError({ kind: "InvalidIsolationLevel", level: isolationLevel });
    }
    const release = await this.#mutex.acquire();
    try {
      await this.#inner.executeRaw(noArgs("BEGIN IMMEDIATE"));
    } catch (error) {
      release();
      throw error;
    }
    const inner = this.#inner;
    const savepoint = (sql: string) => inner.executeRaw(noArgs(sql)).then(() => undefined);
    // Prisma sends COMMIT / ROLLBACK itself (usePhantomQuery: false) and then calls these.
    return {
      provider: inner.provider,
      adapterName: inner.adapterName,
      options: { usePhantomQuery: false },
      queryRaw: (query) => inner.queryRaw(query),
      executeRaw: (query) => inner.executeRaw(query),
      commit: async () => release(),
      rollback: async () => release(),
      createSavepoint: (name) => savepoint(`SAVEPOINT ${name}`),
      rollbackToSavepoint: (name) => savepoint(`ROLLBACK TO ${name}`),
      releaseSavepoint: (name) => savepoint(`RELEASE SAVEPOINT ${name}`),
    };
  }
}

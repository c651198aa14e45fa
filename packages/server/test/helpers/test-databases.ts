// Throw-away databases for tests, one per provider: SQLite in a fresh temp directory, PostgreSQL as
// a uniquely named database on the server of TOKENLEADER_TEST_POSTGRES_URL, dropped afterwards.
// `describeEachProvider` runs a vitest suite once per provider.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { type DatabaseProvider, redactDatabaseUrl } from "../../src/db/database-url.js";
import { applyMigrations } from "../../src/db/migrations.js";
import { type Database, openDatabase } from "../../src/db/open-database.js";

export const testProviders: readonly DatabaseProvider[] = ["sqlite", "postgresql"];

export const defaultTestPostgresUrl = "postgresql://postgres@127.0.0.1:5432/postgres";

/** The server (maintenance database URL) test databases are created on. */
export function testPostgresUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env["TOKENLEADER_TEST_POSTGRES_URL"] || defaultTestPostgresUrl;
}

/** Set by .ci/run: a missing PostgreSQL server fails the suites instead of skipping them. */
export function postgresRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env["TOKENLEADER_TEST_REQUIRE_POSTGRES"] === "1";
}

export interface TestDatabase {
  readonly provider: DatabaseProvider;
  readonly url: string;
  /** Opened, and migrated unless `{ migrate: false }` was asked for. */
  readonly db: Database;
  /** Closes the database and deletes it (SQLite: its directory; PostgreSQL: DROP DATABASE). */
  cleanup(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** Apply the committed migrations (default true). */
  migrate?: boolean;
}

export async function createTestDatabase(
  provider: DatabaseProvider,
  options: CreateTestDatabaseOptions = {},
): Promise<TestDatabase> {
  const created =
    provider === "sqlite" ? await createSqliteDatabase() : await createPostgresDatabase();
  let db: Database;
  try {
    db = await openDatabase(created.url);
    if (options.migrate ?? true) await applyMigrations(db).catch(closeThenThrow(db));
  } catch (error) {
    await created.destroy();
    throw error;
  }
  let cleaning: Promise<void> | null = null;
  return {
    provider,
    url: created.url,
    db,
    cleanup() {
      cleaning ??= db.close().then(created.destroy);
      return cleaning;
    },
  };
}

function closeThenThrow(db: Database) {
  return async (error: unknown): Promise<never> => {
    await db.close();
    throw error;
  };
}

async function createSqliteDatabase() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tokenleader-test-"));
  return {
    url: `file:${path.join(dir, "tokenleader.db")}`,
    destroy: () => rm(dir, { recursive: true, force: true }),
  };
}

const testDatabasePrefix = "tokenleader_test_";
/** Test databases older than this were left by a killed run and are dropped. */
const abandonedAfterMs = 6 * 60 * 60 * 1000;
let abandonedSwept = false;

async function createPostgresDatabase() {
  const serverUrl = testPostgresUrl();
  const name = `${testDatabasePrefix}${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await withPostgresClient(serverUrl, async (client) => {
    if (!abandonedSwept) {
      abandonedSwept = true;
      await dropAbandonedDatabases(client);
    }
    await client.query(`CREATE DATABASE "${name}"`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    destroy: () =>
      // FORCE: a test that forgot to close its client must not leave the database behind.
      withPostgresClient(serverUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      ).then(() => {}),
  };
}

/** Names carry their creation time (base 36), so leftovers of killed runs can be recognised. */
async function dropAbandonedDatabases(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
    [testDatabasePrefix],
  );
  for (const { datname } of rows) {
    const createdAt = Number.parseInt(
      datname.slice(testDatabasePrefix.length).split("_")[0] ?? "",
      36,
    );
    if (Number.isFinite(createdAt) && Date.now() - createdAt > abandonedAfterMs) {
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => {});
    }
  }
}

async function withPostgresClient<T>(url: string, work: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs one statement on the test PostgreSQL server's maintenance database (own connection). */
export async function queryTestPostgres(sql: string, params: unknown[] = []): Promise<number> {
  const result = await withPostgresClient(testPostgresUrl(), (client) => client.query(sql, params));
  return result.rowCount ?? 0;
}

/** Null when the test server answers, else why not. */
async function probePostgres(url: string): Promise<string | null> {
  try {
    await withPostgresClient(url, (client) => client.query("SELECT 1"));
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

// Probed once per test process, while the test file is loading, because vitest decides which
// suites run before any hook does.
const postgresProblem = await probePostgres(testPostgresUrl());
let skipNoticePrinted = false;

export interface ProviderTestContext {
  readonly provider: DatabaseProvider;
  /** A migrated database shared by the suite (created before its first test, deleted after). */
  readonly db: Database;
  /** Its URL. */
  readonly url: string;
  /** Another fresh database of this provider, deleted when the suite ends. */
  createDatabase(options?: CreateTestDatabaseOptions): Promise<TestDatabase>;
}

/**
 * Runs `body` as a suite once per provider ("title [sqlite]", "title [postgresql]"). Where no
 * PostgreSQL server answers, that run is skipped with one line saying why, unless
 * TOKENLEADER_TEST_REQUIRE_POSTGRES=1 (CI), where its tests fail instead.
 */
export function describeEachProvider(
  title: string,
  body: (ctx: ProviderTestContext) => void,
): void {
  for (const provider of testProviders) {
    const unavailable = provider === "postgresql" && postgresProblem !== null;
    if (unavailable && !postgresRequired() && !skipNoticePrinted) {
      skipNoticePrinted = true;
      console.warn(
        `PostgreSQL tests skipped: no server at ${redactDatabaseUrl(testPostgresUrl())} (${postgresProblem}); set TOKENLEADER_TEST_POSTGRES_URL`,
      );
    }
    // The one sanctioned conditional suite: see docs/internals.md "PostgreSQL and SQLite in tests".
    describe.skipIf(unavailable && !postgresRequired())(`${title} [${provider}]`, () => {
      const owned: TestDatabase[] = [];
      let shared: TestDatabase | null = null;
      const createDatabase = async (options?: CreateTestDatabaseOptions) => {
        if (unavailable) {
          throw new Error(
            `PostgreSQL is required (TOKENLEADER_TEST_REQUIRE_POSTGRES=1) but no server answers at ${redactDatabaseUrl(testPostgresUrl())}: ${postgresProblem}`,
          );
        }
        const database = await createTestDatabase(provider, options);
        owned.push(database);
        return database;
      };
      beforeAll(async () => {
        shared = await createDatabase();
      });
      afterAll(async () => {
        await Promise.all(owned.splice(0).map((d) => d.cleanup()));
      });
      const sharedDatabase = () => {
        if (shared === null) throw new Error("ctx.db is available inside tests and hooks only");
        return shared;
      };
      body({
        provider,
        get db() {
          return sharedDatabase().db;
        },
        get url() {
          return sharedDatabase().url;
        },
        createDatabase,
      });
    });
  }
}

/**
 * A fresh, unmigrated PostgreSQL database for a suite of end-to-end tests, or `skip` with one
 * warning line naming `what` when no server answers (a failure instead where
 * TOKENLEADER_TEST_REQUIRE_POSTGRES=1: `database` is null, `problem` says why, and the suite
 * fails naming it).
 */
export async function postgresDatabaseOrSkip(
  what: string,
): Promise<{ database: TestDatabase | null; skip: boolean; problem: string | null }> {
  try {
    const database = await createTestDatabase("postgresql", { migrate: false });
    return { database, skip: false, problem: null };
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    const skip = !postgresRequired();
    if (skip) {
      console.warn(`${what} skipped: no server at TOKENLEADER_TEST_POSTGRES_URL (${problem})`);
    }
    return { database: null, skip, problem };
  }
}

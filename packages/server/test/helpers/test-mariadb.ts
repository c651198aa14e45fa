// Throw-away MariaDB/MySQL databases for tests (sources of `adminops import tokenleader1`): a
// uniquely named database on TOKENLEADER_TEST_MARIADB_URL (default root@127.0.0.1:3306), dropped
// afterwards. Where no server answers, the suite is skipped with one line saying why, unless
// TOKENLEADER_TEST_REQUIRE_MARIADB=1 (set by .ci/run), which turns that into a failure.
import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import { describe } from "vitest";
import { redactDatabaseUrl } from "../../src/db/database-url.js";

export const defaultTestMariadbUrl = "mysql://root@127.0.0.1:3306/test";

export function testMariadbUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env["TOKENLEADER_TEST_MARIADB_URL"] || defaultTestMariadbUrl;
}

export function mariadbRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env["TOKENLEADER_TEST_REQUIRE_MARIADB"] === "1";
}

function connectionOptions(url: URL, database?: string): mysql.ConnectionOptions {
  return {
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || "root",
    password: decodeURIComponent(url.password) || undefined,
    ...(database ? { database } : {}),
    connectTimeout: 3_000,
  };
}

async function probeMariadb(url: string): Promise<string | null> {
  try {
    const connection = await mysql.createConnection(connectionOptions(new URL(url)));
    await connection.end();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const mariadbProblem = await probeMariadb(testMariadbUrl());

export interface TestMariadbDatabase {
  /** `mysql://user@host:port/name`, as SQLAlchemy would name it (without the driver). */
  readonly url: string;
  /** Runs statements in the database, foreign-key checks off (1.x data may dangle). */
  exec(statements: readonly string[]): Promise<void>;
  drop(): Promise<void>;
}

export async function createMariadbDatabase(): Promise<TestMariadbDatabase> {
  if (mariadbProblem !== null) {
    throw new Error(
      `MariaDB is required (TOKENLEADER_TEST_REQUIRE_MARIADB=1) but no server answers at ${redactDatabaseUrl(testMariadbUrl())}: ${mariadbProblem}`,
    );
  }
  const server = new URL(testMariadbUrl());
  const name = `tokenleader_test_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  const admin = await mysql.createConnection(connectionOptions(server));
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.href);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async exec(statements) {
      const connection = await mysql.createConnection(connectionOptions(server, name));
      try {
        await connection.query("SET FOREIGN_KEY_CHECKS = 0");
        for (const sql of statements) await connection.query(sql);
      } finally {
        await connection.end();
      }
    },
    async drop() {
      const connection = await mysql.createConnection(connectionOptions(server));
      try {
        await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await connection.end();
      }
    },
  };
}

/**
 * A suite that needs MariaDB: skipped with one visible line where none answers (a laptop),
 * failing instead under TOKENLEADER_TEST_REQUIRE_MARIADB=1 (CI).
 */
export function describeWithMariadb(title: string, body: () => void): void {
  const unavailable = mariadbProblem !== null;
  if (unavailable && !mariadbRequired()) {
    console.warn(
      `MariaDB tests skipped: no server at ${redactDatabaseUrl(testMariadbUrl())} (${mariadbProblem}); set TOKENLEADER_TEST_MARIADB_URL`,
    );
  }
  describe.skipIf(unavailable && !mariadbRequired())(title, body);
}

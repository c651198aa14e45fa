import pg from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/index.js";
import { type AdminTestServer, createAdminTestServer } from "./admin/helpers/admin-test-server.js";
import { startTcpProxy, type TcpProxy } from "./helpers/tcp-proxy.js";
import {
  createTestDatabase,
  postgresRequired,
  type TestDatabase,
  testPostgresUrl,
} from "./helpers/test-databases.js";

// Database faults under a running server end in 503 with Retry-After, never in a 500, and the
// server recovers by itself: backends terminated under load (pg_terminate_backend), connections
// that stop answering (a proxy that stops forwarding), a flood of identical errors in the log.

const postgresAnswers = await new pg.Client({ connectionString: testPostgresUrl() }).connect().then(
  (client) => client.end().then(() => true),
  () => false,
);
if (!postgresAnswers && !postgresRequired()) {
  console.warn(
    "database fault tests skipped: no PostgreSQL server (TOKENLEADER_TEST_POSTGRES_URL)",
  );
}

interface Answer {
  status: number;
  retryAfter: string | undefined;
  code: string | undefined;
  ms: number;
}

/** Statuses a client may see during a database fault: its own mistakes, successes, or a 503. */
function expectNoServerBug(answers: Answer[]): void {
  const bugs = answers.filter((a) => a.status >= 500 && a.status !== 503);
  expect(bugs, JSON.stringify(bugs.slice(0, 5))).toEqual([]);
  for (const answer of answers.filter((a) => a.status === 503)) {
    expect(answer).toMatchObject({ retryAfter: "1", code: "DB_UNAVAILABLE" });
  }
}

/** Every 503 answered in this file (each one went through the error log). */
let unavailableAnswers = 0;

async function send(
  server: AdminTestServer,
  request: {
    method: "GET" | "POST";
    url: string;
    headers?: Record<string, string>;
    payload?: object;
  },
): Promise<Answer> {
  const started = Date.now();
  const response = await server.app.inject(request);
  const body = response.body.startsWith("{") ? response.json() : {};
  if (response.statusCode === 503) unavailableAnswers += 1;
  return {
    status: response.statusCode,
    retryAfter: response.headers["retry-after"] as string | undefined,
    code: body.code,
    ms: Date.now() - started,
  };
}

/** The request mix of a token server: tokens, verifications, admin reads. */
function requestMix(server: AdminTestServer, i: number) {
  switch (i % 8) {
    case 0:
      return send(server, {
        method: "POST",
        url: "/token/gettoken",
        payload: { username: "u1", password: "u1-secret" },
      });
    case 1:
    case 2:
      return send(server, {
        method: "GET",
        url: "/list/users",
        headers: { "x-auth-token": server.adminToken },
      });
    case 3:
      return send(server, {
        method: "GET",
        url: "/list/org",
        headers: { "x-auth-token": server.adminToken },
      });
    default:
      return send(server, {
        method: "GET",
        url: "/token/verify_token",
        headers: { "x-auth-token": server.role1Token },
      });
  }
}

async function runLoad(server: AdminTestServer, total: number, concurrency: number) {
  const answers: Answer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) answers.push(await requestMix(server, next++));
    }),
  );
  return answers;
}

/** Polls until every request of one round of the mix succeeds. */
async function expectRecovery(server: AdminTestServer, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  let last: Answer[] = [];
  while (Date.now() < deadline) {
    last = await Promise.all(Array.from({ length: 8 }, (_, i) => requestMix(server, i)));
    if (last.every((a) => a.status < 300)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no recovery within ${withinMs} ms: ${JSON.stringify(last)}`);
}

describe.skipIf(!postgresAnswers && !postgresRequired())("database faults [postgresql]", () => {
  describe("backends terminated under load", () => {
    let database: TestDatabase;
    let server: AdminTestServer;
    let admin: pg.Client;
    beforeAll(async () => {
      database = await createTestDatabase("postgresql");
      server = await createAdminTestServer({ db: database.db });
      admin = new pg.Client({ connectionString: testPostgresUrl() });
      await admin.connect();
    });
    afterAll(async () => {
      await admin?.end();
      await server?.close();
      await database?.cleanup();
    });

    it("answers 2xx/4xx or 503 with Retry-After, never 500, and works again afterwards", async () => {
      const name = new URL(database.url).pathname.slice(1);
      let terminated = 0;
      let loadDone = false;
      const killer = (async () => {
        while (!loadDone) {
          const { rowCount } = await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
            [name],
          );
          terminated += rowCount ?? 0;
          await new Promise((resolve) => setTimeout(resolve, 40));
        }
      })();
      const answers = await runLoad(server, 320, 8).finally(() => {
        loadDone = true;
      });
      await killer;

      expect(terminated).toBeGreaterThan(10);
      expect(answers).toHaveLength(320);
      console.info(
        `terminated ${terminated} backends; answers: ${JSON.stringify(countBy(answers.map((a) => a.status)))}`,
      );
      expectNoServerBug(answers);
      await expectRecovery(server, 15_000);
    }, 120_000);
  });

  describe("connections that stop answering", () => {
    let database: TestDatabase;
    let proxy: TcpProxy;
    let server: AdminTestServer;
    const logLines: { level: number; msg: string; repeated?: number }[] = [];
    const statementTimeoutMs = 1000;
    const connectTimeoutMs = 1000;
    beforeAll(async () => {
      unavailableAnswers = 0;
      database = await createTestDatabase("postgresql");
      const target = new URL(database.url);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      const proxied = new URL(database.url);
      proxied.port = String(proxy.port);
      const db = await openDatabase(proxied.toString(), {
        postgresPool: { connectTimeoutMs, statementTimeoutMs, poolSize: 4 },
      });
      const logger = pino(
        { level: "info" },
        { write: (line: string) => void logLines.push(JSON.parse(line)) },
      );
      server = await createAdminTestServer({ db, logger });
      // The server closes the database it was given only through the test: see afterAll.
      (server as { proxiedDb?: typeof db }).proxiedDb = db;
    });
    afterAll(async () => {
      // Frozen connections first, so nothing waits on them while closing.
      await proxy?.close();
      await server?.close();
      await (server as { proxiedDb?: { close(): Promise<void> } } | undefined)?.proxiedDb?.close();
      await database?.cleanup();
    });

    it("answers 503 within the timeouts, then recovers without a restart once connections go through", async () => {
      await expectRecovery(server, 10_000);
      const connectionsBefore = proxy.connectionsMade;
      proxy.blackhole({ newConnections: true });

      // Every request ends, and quickly: a read on a frozen connection is given up after the
      // statement timeout plus 2 s, a new connection after the connect timeout.
      const bound = statementTimeoutMs + 2000 + connectTimeoutMs + 3000;
      const during = await runLoad(server, 24, 4);
      expectNoServerBug(during);
      expect(during.filter((a) => a.status === 503).length).toBeGreaterThan(0);
      expect(Math.max(...during.map((a) => a.ms))).toBeLessThan(bound);

      proxy.forwardNewConnections();
      await expectRecovery(server, 20_000);
      expect(proxy.connectionsMade).toBeGreaterThan(connectionsBefore);
    }, 90_000);

    it("logs a flood of identical database errors once per interval, with a count", async () => {
      proxy.blackhole({ newConnections: true });
      const during = await runLoad(server, 40, 10);
      expectNoServerBug(during);
      expect(during.filter((a) => a.status === 503).length).toBeGreaterThan(20);
      proxy.forwardNewConnections();
      await expectRecovery(server, 20_000);

      // The counts come when the interval ends or the server closes.
      await server.app.close();
      const requestFailed = logLines.filter((l) => l.msg.startsWith("request failed"));
      const firsts = requestFailed.filter((l) => l.repeated === undefined);
      const counted = requestFailed.filter((l) => typeof l.repeated === "number");
      // One full line per distinct error (a pool wait timeout, a read timeout, …) and interval,
      // not one per request; the repeats are counted. Both tests of this suite are in the log.
      expect(firsts.length).toBeGreaterThan(0);
      expect(firsts.length).toBeLessThanOrEqual(8);
      expect(counted.length).toBeGreaterThan(0);
      const total = firsts.length + counted.reduce((sum, l) => sum + (l.repeated ?? 0), 0);
      expect(total).toBe(unavailableAnswers);
      expect(requestFailed.length).toBeLessThan(unavailableAnswers / 2);
    }, 90_000);
  });
});

function countBy(values: number[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

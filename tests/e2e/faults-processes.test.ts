import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  postgresDatabaseOrSkip,
  queryTestPostgres,
} from "../../packages/server/test/helpers/test-databases.js";
import { startTokenleaderServer, type TokenleaderServer } from "./support/server-process.js";

// A real tokenleader-server process on PostgreSQL, as an orchestrator sees it: /readyz follows the
// database live (an empty re-created database is not ready, `adminops initdb` makes it ready
// again) while /healthz stays 200; and SIGTERM under kept-alive load resets no connection.

const { database, skip, problem } = await postgresDatabaseOrSkip("fault end-to-end tests");

async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function pollUntil<T>(what: string, probe: () => Promise<T>, ok: (value: T) => boolean) {
  const deadline = Date.now() + 20_000;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what}: not reached within 20 s; last ${JSON.stringify(last)}`);
}

interface ClientRun {
  responses: number;
  closeHeaders: number;
  /** Errors on a connection the server had accepted (a reset or hang-up: must never happen). */
  failures: string[];
  endedWith: string;
}

/** One kept-alive client sending requests back to back until the server refuses connections. */
function keptAliveClient(baseUrl: string, paths: string[], onResponse: () => void) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const run: ClientRun = { responses: 0, closeHeaders: 0, failures: [], endedWith: "" };
  const once = (path: string) =>
    new Promise<void>((resolve, reject) => {
      const request = http.get(`${baseUrl}${path}`, { agent }, (response) => {
        response.resume();
        response.on("end", () => {
          run.responses += 1;
          if (response.headers.connection === "close") run.closeHeaders += 1;
          if (response.statusCode !== 200) run.failures.push(`HTTP ${response.statusCode} ${path}`);
          onResponse();
          resolve();
        });
        response.on("error", reject);
      });
      request.on("error", (error: NodeJS.ErrnoException) => {
        // A brand-new connection the server never accepted may be refused, or reset by the
        // kernel when the listening socket closes with it still in the backlog.
        const fresh = !request.reusedSocket;
        if (error.code === "ECONNREFUSED" || (fresh && error.code === "ECONNRESET")) {
          run.endedWith = error.code;
          resolve();
          return;
        }
        reject(Object.assign(error, { reused: request.reusedSocket }));
      });
    });
  const done = (async () => {
    for (let i = 0; run.endedWith === "" && i < 100_000; i++) {
      try {
        await once(paths[i % paths.length] ?? "/healthz");
      } catch (error) {
        const e = error as NodeJS.ErrnoException & { reused?: boolean };
        run.failures.push(`${e.code ?? e.message}${e.reused ? " on a kept-alive connection" : ""}`);
        run.endedWith = "error";
      }
    }
    agent.destroy();
    return run;
  })();
  return done;
}

describe.skipIf(skip)("tokenleader-server process: readiness and graceful shutdown", () => {
  let server: TokenleaderServer;
  let name: string;
  beforeAll(async () => {
    if (!database) throw new Error(`PostgreSQL is required: ${problem}`);
    name = new URL(database.url).pathname.slice(1);
    // The test helper's own connection must not hold the database: it is dropped below.
    await database.db.close();
    server = await startTokenleaderServer({
      dbUrl: database.url,
      ini: { db: ["connect_timeout = 2", "statement_timeout = 2"] },
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await database?.cleanup();
  });

  it("says not ready on an empty re-created database and ready after adminops initdb; /healthz stays 200", async () => {
    expect((await getJson(`${server.url}/readyz`)).status).toBe(200);

    await queryTestPostgres(`DROP DATABASE "${name}" WITH (FORCE)`);
    await queryTestPostgres(`CREATE DATABASE "${name}"`);
    const notReady = await pollUntil(
      "/readyz 503",
      () => getJson(`${server.url}/readyz`),
      (r) => r.status === 503,
    );
    expect(notReady.body).toMatchObject({
      status: "not ready",
      checks: {
        database: { ok: true },
        migrations: { ok: false, detail: "the database is empty: run adminops initdb" },
      },
    });
    expect((await getJson(`${server.url}/healthz`)).status).toBe(200);

    const initdb = await server.adminops(["initdb"]);
    expect(initdb.code, initdb.stderr).toBe(0);
    const ready = await pollUntil(
      "/readyz 200",
      () => getJson(`${server.url}/readyz`),
      (r) => r.status === 200,
    );
    expect(ready.body).toMatchObject({ status: "ready" });
    expect((await getJson(`${server.url}/healthz`)).status).toBe(200);
  }, 60_000);

  it("on SIGTERM answers every request it accepted, closing kept-alive connections cleanly", async () => {
    let answered = 0;
    const clients = Array.from({ length: 16 }, () =>
      keptAliveClient(server.url, ["/healthz", "/.well-known/jwks.json", "/readyz"], () => {
        answered += 1;
      }),
    );
    await pollUntil(
      "load running",
      async () => answered,
      (n) => n >= 400,
    );
    const stopping = server.stop();
    const runs = await Promise.all(clients);
    await stopping;

    expect(runs.flatMap((run) => run.failures)).toEqual([]);
    for (const run of runs) expect(["ECONNREFUSED", "ECONNRESET"]).toContain(run.endedWith);
    // Connections open at the signal were told to close rather than cut.
    expect(runs.reduce((sum, run) => sum + run.closeHeaders, 0)).toBeGreaterThan(0);
    expect(server.exitCode()).toBe(0);
  }, 60_000);
});

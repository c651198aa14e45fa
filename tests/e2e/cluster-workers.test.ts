import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachProvider } from "../../packages/server/test/helpers/test-databases.js";
import { BIN, runCli } from "./support/processes.js";
import { startTokenleaderServer, type TokenleaderServer } from "./support/server-process.js";

// `tokenleader-server --workers 2` (issue 14): two worker processes share the port and one
// database. A burst of admin writes, password logins, cookie logins and refreshes spread over
// many connections gets no 5xx on either provider (on SQLite: the file's write lock is waited
// for, not answered with "Operation has timed out"), every write is kept, and a worker killed
// with SIGKILL is replaced while the other one goes on answering.

interface LogLine {
  msg?: string;
  worker?: number;
  workerPid?: number;
  role?: string;
}

function logLines(server: TokenleaderServer): LogLine[] {
  return server
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as LogLine);
}

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>) {
  const deadline = Date.now() + 45_000;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** GET on a connection of its own (fetch would reuse a kept-alive one). */
function statusOnNewConnection(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
  });
}

/** `name=value` of each Set-Cookie header. */
function cookiesOf(res: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const line of res.headers.getSetCookie()) {
    const [pair = ""] = line.split(";");
    const at = pair.indexOf("=");
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return jar;
}

describeEachProvider("--workers 2 under a burst of concurrent writes", (ctx) => {
  let dir: string;
  let server: TokenleaderServer;
  let adminToken: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tl-e2e-workers-"));
    const dbUrl =
      ctx.provider === "sqlite"
        ? `file:${join(dir, "workers.db")}`
        : (await ctx.createDatabase({ migrate: false })).url;
    server = await startTokenleaderServer({
      dbUrl,
      args: ["--workers", "2"],
      // Concurrent logins of one account each reserve a guess before the password check: high
      // limits keep those reservations (database writes) without refusing the burst.
      ini: { login: ["max_failures_per_account = 10000", "max_failures_per_source = 10000"] },
      // Request lines carry the worker's id: the test checks both workers served.
      env: { TOKENLEADER_LOG_LEVEL: "info" },
    });
    await waitFor("both workers listening", () =>
      logLines(server).filter((l) => l.msg === "worker listening").length >= 2 ? true : undefined,
    );
    adminToken = await server.getToken("admin", server.adminPassword);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("answers every request with a status below 500 and keeps every write", async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
    const roleNames = Array.from({ length: 200 }, (_, i) => `burst-role-${i}`);
    const statuses: { what: string; status: number }[] = [];
    const record = async (what: string, res: Promise<Response>) => {
      const answer = await res;
      statuses.push({ what, status: answer.status });
      return answer;
    };

    // One cookie-login session: log in, then refresh twice (each refresh rotates the token).
    const cookieSession = async () => {
      const login = await record(
        "cookie login",
        post("/login", { username: "admin", password: server.adminPassword }),
      );
      let jar = cookiesOf(login);
      for (let i = 0; i < 2; i++) {
        const refresh = await record(
          "refresh",
          fetch(`${server.url}/refresh`, {
            method: "POST",
            headers: {
              cookie: `refresh_token_cookie=${jar.get("refresh_token_cookie")}`,
              "x-csrf-token": jar.get("csrf_refresh_token") ?? "",
            },
          }),
        );
        jar = cookiesOf(refresh);
      }
    };

    await Promise.all([
      ...roleNames.map((rolename) =>
        record("add role", post("/add/role", { rolename }, { "x-auth-token": adminToken })),
      ),
      ...Array.from({ length: 40 }, () =>
        record(
          "gettoken",
          post("/token/gettoken", { username: "admin", password: server.adminPassword }),
        ),
      ),
      ...Array.from({ length: 25 }, cookieSession),
    ]);

    const serverErrors = statuses.filter((s) => s.status >= 500);
    expect(serverErrors, server.output().slice(-4000)).toEqual([]);
    expect(statuses).toHaveLength(200 + 40 + 25 * 3);
    // Nothing was refused either.
    const byKind = (what: string) => statuses.filter((s) => s.what === what).map((s) => s.status);
    expect(new Set(byKind("add role"))).toEqual(new Set([201]));
    expect(new Set(byKind("gettoken"))).toEqual(new Set([201])); // the original's status
    expect(new Set(byKind("cookie login"))).toEqual(new Set([200]));
    expect(new Set(byKind("refresh"))).toEqual(new Set([200]));

    const listed = await fetch(`${server.url}/list/role`, {
      headers: { "x-auth-token": adminToken },
    });
    expect(listed.status).toBe(200);
    const text = await listed.text();
    for (const name of roleNames) expect(text).toContain(`"${name}"`);

    // Both workers took part (the port is shared; connections are handed out in turn).
    const servedBy = new Set(
      logLines(server)
        .filter((l) => l.msg === "request completed" && l.worker !== undefined)
        .map((l) => l.worker),
    );
    expect(servedBy.size).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it("replaces a worker killed with SIGKILL while the other keeps answering", async () => {
    const before = logLines(server).filter((l) => l.msg === "worker listening");
    const victim = before[0];
    expect(victim?.workerPid).toBeGreaterThan(0);
    process.kill(victim?.workerPid as number, "SIGKILL");

    // Once the primary has seen the death, new connections go to the survivor (a connection
    // the client had kept alive to the dead worker is lost with it, as with any dead process).
    await waitFor("the primary to see the worker die", () =>
      logLines(server).some(
        (l) => l.msg === "worker exited unexpectedly: replacing it" && l.worker === victim?.worker,
      )
        ? true
        : undefined,
    );
    for (let i = 0; i < 5; i++)
      expect(await statusOnNewConnection(`${server.url}/healthz`)).toBe(200);
    const replacement = await waitFor("a replacement worker", () =>
      logLines(server).find(
        (l) =>
          l.msg === "worker listening" &&
          !before.some((b) => b.worker === l.worker) &&
          l.workerPid !== victim?.workerPid,
      ),
    );
    expect(replacement.worker).toBeGreaterThan(2);

    const tokens = await Promise.all(
      Array.from({ length: 6 }, () => server.getToken("admin", server.adminPassword)),
    );
    expect(tokens.every((token) => token.split(".").length === 3)).toBe(true);
  }, 90_000);
});

describe("tokenleader-server --workers with a bad value", () => {
  let dir: string;
  let configFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tl-e2e-workers-bad-"));
    configFile = join(dir, "tokenleader_settings.ini");
    await writeFile(configFile, `[server]\n\tdata_dir = ${join(dir, "data")}\n`);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ["0", "is not between 1 and 256"],
    ["-2", "is not between 1 and 256"],
    ["1.5", 'is not "auto" or a whole number'],
    ["many", 'is not "auto" or a whole number'],
    ["257", "is not between 1 and 256"],
  ])("--workers %s exits 2 naming the flag", async (value, problem) => {
    const run = await runCli(BIN.server, ["--config", configFile, "--workers", value]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `tokenleader-server: --workers: ${JSON.stringify(Number.isNaN(Number(value)) ? value : Number(value))} ${problem}`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("TOKENLEADER_WORKERS=0 exits 2 naming the variable", async () => {
    const run = await runCli(BIN.server, ["--config", configFile], {
      env: { TOKENLEADER_WORKERS: "0" },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "environment variable TOKENLEADER_WORKERS: 0 is not between 1 and 256",
    );
  });

  it("lists --workers in its help", async () => {
    const run = await runCli(BIN.server, ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/--workers\s+server processes sharing the port/);
  });
});

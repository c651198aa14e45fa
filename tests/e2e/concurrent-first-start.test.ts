import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { migrationStatus, openDatabase } from "../../packages/server/src/db/index.js";
import { describeEachProvider } from "../../packages/server/test/helpers/test-databases.js";
import { assertCompiled, BIN, cleanEnv, freePort, SAMPLE_ACL_MAP } from "./support/processes.js";

// Three server processes started at the same moment on one empty database and one data
// directory (issue 14: "the second process died at first start in 3 of 4 tries"): they take
// turns opening and migrating (the migration lock), so all three come up, the migrations are
// applied once, and exactly one of them created the first administrator.

interface Started {
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<void>;
}

async function waitUntilHealthy(server: Started): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) {
      throw new Error(`exited with ${server.child.exitCode}:\n${server.output()}`);
    }
    if (
      await fetch(`${server.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no answer within 90 s:\n${server.output()}`);
}

describeEachProvider("three servers started at once on an empty database", (ctx) => {
  let dir: string;
  let dataDir: string;
  let dbUrl: string;
  const servers: Started[] = [];

  beforeAll(async () => {
    assertCompiled();
    dir = await mkdtemp(join(tmpdir(), "tl-e2e-first-start-"));
    dataDir = join(dir, "data");
    dbUrl =
      ctx.provider === "sqlite"
        ? `file:${join(dataDir, "tokenleader.db")}`
        : (await ctx.createDatabase({ migrate: false })).url;
    const configFile = join(dir, "tokenleader_settings.ini");
    await writeFile(
      configFile,
      `[flask_default]\n\thost_name = 127.0.0.1\n[server]\n\tdata_dir = ${dataDir}\n` +
        "\tlog_level = warn\n\tpublic_url = https://auth.example.test\n" +
        `[enforcer]\n\trole_to_acl_map_file = ${SAMPLE_ACL_MAP}\n[db]\n\turl = ${dbUrl}\n`,
    );
    const env = cleanEnv({ TOKENLEADER_KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64") });
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    // Spawned together, nothing done in between: the starts really overlap.
    for (const port of ports) {
      let output = "";
      const child = spawn(
        process.execPath,
        [BIN.server, "--config", configFile, "--port", `${port}`],
        {
          env,
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      child.stdout?.on("data", (chunk) => {
        output += chunk;
      });
      child.stderr?.on("data", (chunk) => {
        output += chunk;
      });
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      servers.push({ url: `http://127.0.0.1:${port}`, child, output: () => output, exited });
    }
    const started = await Promise.allSettled(servers.map(waitUntilHealthy));
    const failures = started.flatMap((s) => (s.status === "rejected" ? [String(s.reason)] : []));
    expect(failures).toEqual([]);
  }, 150_000);

  afterAll(async () => {
    for (const server of servers) {
      if (server.child.exitCode === null && server.child.signalCode === null) {
        server.child.kill("SIGTERM");
        const timer = setTimeout(() => server.child.kill("SIGKILL"), 8_000);
        await server.exited;
        clearTimeout(timer);
      }
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("all come up ready, with the migrations applied once and one first administrator", async () => {
    for (const server of servers) {
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status, server.output()).toBe(200);
    }
    const db = await openDatabase(dbUrl);
    try {
      const status = await migrationStatus(db);
      expect(status.pending).toEqual([]);
      expect(status.failed).toEqual([]);
      const rows = await db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
        "SELECT migration_name FROM _prisma_migrations",
      );
      expect(rows).toHaveLength(status.applied.length);
    } finally {
      await db.close();
    }

    const passwordFiles = (await readdir(dataDir)).filter((f) =>
      f.startsWith("initial-admin-password"),
    );
    expect(passwordFiles).toEqual(["initial-admin-password"]);
    const password = (await readFile(join(dataDir, "initial-admin-password"), "utf8")).trim();
    for (const server of servers) {
      const res = await fetch(`${server.url}/token/gettoken`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password }),
      });
      expect(res.status).toBe(201);
    }
  }, 60_000);
});

// Benchmarks (`pnpm bench`): numbers as ratios of alternatives run side by side on this machine,
// never absolute pass/fail thresholds. Everything talks to 127.0.0.1 only, and every loop is
// bounded by a request count and a time limit.
//
//   1. A protected microservice route (Fastify + enforcer): local verification against the JWKS,
//      with the verified-token cache (the default) and without it, versus remote verification
//      (the enforcer asks tokenleader's /token/verify_token for every request).
//   2. tokenleader's own GET /token/verify_token and POST /token/gettoken, for capacity planning.
//   3. Password hashing: argon2id (our default) versus the original's pbkdf2:sha256:50000, per
//      login. This one is a cost we choose to pay, reported so capacity planning can use it.
//
// Numbers from a loaded machine are noisy: compare the ratios of one run, not runs with each other.
// Usage: pnpm bench [-- --requests 3000 --concurrency 16 --seconds 15]
import { spawn } from "node:child_process";
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: {
    requests: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "16" },
    seconds: { type: "string", default: "15" },
  },
});
const REQUESTS = Number(args.requests);
const CONCURRENCY = Number(args.concurrency);
const SECONDS = Number(args.seconds);

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitFor(url, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`bench: ${url} did not become ready within ${timeoutMs} ms`);
}

/** Runs `task` REQUESTS times with CONCURRENCY workers (or until SECONDS pass). */
async function load(name, task) {
  const latencies = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  async function worker() {
    while (next < REQUESTS && performance.now() < deadline) {
      next++;
      const t0 = performance.now();
      const ok = await task();
      latencies.push(performance.now() - t0);
      if (!ok) failures++;
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pick = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return {
    name,
    requests: latencies.length,
    failures,
    perSecond: latencies.length / elapsed,
    p50: pick(0.5),
    p99: pick(0.99),
  };
}

function printTable(rows) {
  const header = ["scenario", "requests", "failures", "req/s", "p50 ms", "p99 ms"];
  const lines = rows.map((r) => [
    r.name,
    String(r.requests),
    String(r.failures),
    r.perSecond.toFixed(0),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cols) => cols.map((c, i) => c.padEnd(widths[i])).join("  ");
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
}

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), "tokenleader-bench-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const configFile = path.join(dataDir, "tokenleader_settings.ini");
  // One ACL file for the server's admin API and the benchmark's protected route.
  const aclFile = path.join(dataDir, "role_to_acl_map.yml");
  await writeFile(aclFile, "- name: admin\n  allow:\n  - tokenleader.*\n  - bench.read\n");
  await writeFile(
    configFile,
    [
      "[flask_default]",
      "\thost_name = 127.0.0.1",
      `\thost_port = ${port}`,
      "[server]",
      `\tdata_dir = ${dataDir}`,
      "\tlog_level = warn",
      "[enforcer]",
      `\trole_to_acl_map_file = ${aclFile}`,
      "",
    ].join("\n"),
  );
  const server = spawn(
    process.execPath,
    [path.join(root, "packages/server/bin/tokenleader-server.js"), "--config", configFile],
    {
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const apps = [];
  try {
    await waitFor(`${base}/readyz`);
    const password = (await readFile(path.join(dataDir, "initial-admin-password"), "utf8")).trim();
    const login = await fetch(`${base}/token/gettoken`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password }),
    });
    const { auth_token: token } = await login.json();
    if (!token) throw new Error(`bench: could not get a token (HTTP ${login.status})`);

    const { createEnforcer } = await import(path.join(root, "packages/enforcer/dist/fastify.js"));
    const Fastify = (
      await import(path.join(root, "packages/server/node_modules/fastify/fastify.js"))
    ).default;

    async function protectedApp(verification) {
      const enforcer = createEnforcer({
        roleToAclMapFile: aclFile,
        superRoles: [],
        ...verification,
      });
      const app = Fastify();
      await app.register(enforcer.plugin);
      app.get("/data", { preHandler: enforcer.enforce("bench.read") }, async (req) => ({
        org: req.wfc?.org ?? null,
      }));
      const address = await app.listen({ port: 0, host: "127.0.0.1" });
      apps.push(app);
      return address;
    }
    const jwksUrl = `${base}/.well-known/jwks.json`;
    const remoteVerifyUrl = `${base}/token/verify_token`;
    const noCache = { tokenCache: { maxEntries: 0 } };
    const scenarios = [
      ["enforcer, local verify, cached (default)", await protectedApp({ jwksUrl })],
      ["enforcer, local verify, no cache", await protectedApp({ jwksUrl, ...noCache })],
      ["enforcer, remote verify, no cache", await protectedApp({ remoteVerifyUrl, ...noCache })],
      ["tokenleader GET /token/verify_token", base],
    ];

    const get = (url) => async () => {
      const res = await fetch(url, { headers: { "X-Auth-Token": token } });
      await res.arrayBuffer();
      return res.ok;
    };
    const targetOf = (url) => (url === base ? `${base}/token/verify_token` : `${url}/data`);
    // Warm-up round, discarded: JWKS fetch, JIT, connection pools. Without it the first scenario
    // measured pays for everyone's warm-up.
    for (const [name, url] of scenarios) await load(`warm-up ${name}`, get(targetOf(url)));

    const rows = [];
    for (const [name, url] of scenarios) rows.push(await load(name, get(targetOf(url))));

    // Logins are CPU-bound by design; fewer of them.
    const gettoken = async () => {
      const res = await fetch(`${base}/token/gettoken`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password }),
      });
      await res.arrayBuffer();
      return res.status === 201;
    };
    rows.push(await load("tokenleader POST /token/gettoken (argon2id)", gettoken));

    printTable(rows);

    const [cached, uncached, remote] = rows;
    const ratio = (a, b) => `${(a.perSecond / b.perSecond).toFixed(2)}x`;
    console.log("");
    console.log(
      `local cached / remote:   ${ratio(cached, remote)} the throughput of asking the server`,
    );
    console.log(`local uncached / remote: ${ratio(uncached, remote)}`);

    // 3. Hash cost per login, side by side (in-process, single core).
    const argon2 = await import(
      path.join(root, "packages/server/node_modules/@node-rs/argon2/index.js")
    );
    const hash = await argon2.hash("bench-password", {
      algorithm: 2,
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
    });
    const rounds = 20;
    let t0 = performance.now();
    for (let i = 0; i < rounds; i++) await argon2.verify(hash, "bench-password");
    const argonMs = (performance.now() - t0) / rounds;
    const salt = randomBytes(6).toString("base64url").slice(0, 8);
    t0 = performance.now();
    for (let i = 0; i < rounds; i++) pbkdf2Sync("bench-password", salt, 50_000, 32, "sha256");
    const pbkdf2Ms = (performance.now() - t0) / rounds;
    console.log(
      `password check: argon2id m=19MiB t=2 ${argonMs.toFixed(1)} ms vs original pbkdf2:sha256:50000 ${pbkdf2Ms.toFixed(1)} ms (ratio ${(argonMs / pbkdf2Ms).toFixed(2)}x)`,
    );
  } finally {
    for (const app of apps) await app.close();
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

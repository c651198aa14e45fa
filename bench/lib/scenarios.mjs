// The scenarios of `pnpm bench`. Each takes the run's context and returns rows for the table
// (see comparison() in compare.mjs); bench/README.md explains what each one measures and why.
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { alternate, comparison } from "./compare.mjs";
import { bodyFile, runLoad } from "./load.mjs";
import { freePort, rssMiB, startNode } from "./processes.mjs";
import {
  adminToken,
  createPostgresDatabase,
  HASH_SLOTS,
  startTokenleader,
} from "./tokenleader.mjs";
import { BENCH_ISSUER } from "./tokens.mjs";

const bench = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const HELLO = path.join(bench, "apps/hello.mjs");
const PROTECTED = path.join(bench, "apps/protected-route.mjs");
const ARGON2_LOOP = path.join(bench, "load/argon2-loop.mjs");
const REFRESH_CHAINS = path.join(bench, "load/refresh-chains.mjs");

/** Logins are CPU-bound by design (argon2id); this many at once, on both sides of a comparison. */
const LOGIN_CONCURRENCY = 4;
/** Connections of the verify_token probe while logins are flooded, and when idle. */
const PROBE_CONCURRENCY = 8;
/** Distinct tokens in rotation for the cold enforcer runs, and the enforcer's cache for them. */
export const COLD_TOKENS = 2000;
const COLD_CACHE_ENTRIES = 500;
/** [passwords] defaults: the bare hash runs with the parameters the server's logins use. */
const ARGON2_DEFAULTS = { MEMORY_COST: "19456", TIME_COST: "2", PARALLELISM: "1" };

async function startHello(log) {
  const port = await freePort();
  const handle = await startNode(HELLO, [], {
    env: { PORT: String(port), LOG: log },
    readyUrl: `http://127.0.0.1:${port}/`,
  });
  return { ...handle, url: `http://127.0.0.1:${port}/` };
}

function loginBody(ctx, server, name) {
  return bodyFile(ctx.dir, name, { username: "admin", password: server.password });
}

const gettokenLoad = (server, body) => (seconds) =>
  runLoad({
    url: `${server.url}/token/gettoken`,
    method: "POST",
    bodyFile: body,
    contentType: "application/json",
    connections: LOGIN_CONCURRENCY,
    seconds,
  });

async function verifyTokenFile(ctx, server) {
  return bodyFile(ctx.dir, `token-${server.pid}.txt`, `${await adminToken(server)}\n`);
}

export const SCENARIOS = {
  async verify(ctx) {
    const server = await ctx.tokenleader();
    const tokens = await verifyTokenFile(ctx, server);
    const helloInfo = await ctx.hello();
    const helloSilent = await startHello("off");
    try {
      const sides = await alternate(ctx, {
        verify: {
          label: "GET /token/verify_token",
          measure: (seconds) =>
            runLoad({
              url: `${server.url}/token/verify_token`,
              tokensFile: tokens,
              tokenHeader: "X-Auth-Token",
              connections: ctx.connections,
              seconds,
            }),
        },
        helloInfo: {
          label: "Fastify hello-world, logger at info",
          measure: (seconds) =>
            runLoad({ url: helloInfo.url, connections: ctx.connections, seconds }),
        },
        helloSilent: {
          label: "Fastify hello-world, no logger",
          measure: (seconds) =>
            runLoad({ url: helloSilent.url, connections: ctx.connections, seconds }),
        },
      });
      return [
        comparison({
          id: "verify_vs_hello",
          title: "verify_token vs hello-world (both at log level info)",
          a: sides.verify,
          b: sides.helloInfo,
          target: { atLeast: 0.5, stretch: 0.7 },
        }),
        comparison({
          id: "verify_vs_silent_hello",
          title: "verify_token (info) vs hello-world without a logger",
          a: sides.verify,
          b: sides.helloSilent,
        }),
      ];
    } finally {
      await helloSilent.stop();
    }
  },

  "enforcer-fastify": (ctx) => enforcerScenario(ctx, "fastify", "@fastify/jwt"),
  "enforcer-express": (ctx) => enforcerScenario(ctx, "express", "express-jwt"),

  async gettoken(ctx) {
    const server = await ctx.tokenleader();
    const body = await loginBody(ctx, server, "login-sqlite.json");
    // The server computes at most HASH_SLOTS hashes at once, whatever the number of logins in
    // flight: the fair baseline is the bare hash at that same number (bench/README.md).
    const hashesAtOnce = Math.min(LOGIN_CONCURRENCY, HASH_SLOTS);
    const sides = await alternate(ctx, {
      login: {
        label: `POST /token/gettoken (SQLite), ${LOGIN_CONCURRENCY} connections`,
        measure: gettokenLoad(server, body),
      },
      hash: {
        label: `bare argon2id verify, same parameters, ${hashesAtOnce} at once`,
        measure: (seconds) => argon2Loop(hashesAtOnce, seconds),
      },
      unboundedHash: {
        label: `bare argon2id verify, ${LOGIN_CONCURRENCY} at once (no cap)`,
        measure: (seconds) => argon2Loop(LOGIN_CONCURRENCY, seconds),
      },
    });
    return [
      comparison({
        id: "gettoken_vs_argon2",
        title: `gettoken logins/s vs bare argon2id verifications/s (${hashesAtOnce} hash(es) at once on both sides)`,
        a: sides.login,
        b: sides.hash,
        target: { atLeast: 0.95 },
        note: "1 − ratio is what a login costs beyond its password hash",
      }),
      comparison({
        id: "gettoken_vs_unbounded_argon2",
        title: `gettoken logins/s vs bare argon2id with no cap (${LOGIN_CONCURRENCY} at once)`,
        a: sides.login,
        b: sides.unboundedHash,
        note: "what max_concurrent_hashes costs in peak login rate (the core it keeps for the event loop)",
      }),
    ];
  },

  async flood(ctx) {
    const server = await ctx.tokenleader();
    const tokens = await verifyTokenFile(ctx, server);
    const body = await loginBody(ctx, server, "login-flood.json");
    const probe = (seconds) =>
      runLoad({
        url: `${server.url}/token/verify_token`,
        tokensFile: tokens,
        tokenHeader: "X-Auth-Token",
        connections: PROBE_CONCURRENCY,
        seconds,
      });
    const sides = await alternate(ctx, {
      flooded: {
        label: `verify_token p99 while ${LOGIN_CONCURRENCY * 2} logins run at once`,
        measure: async (seconds) => {
          const flooding = runLoad({
            url: `${server.url}/token/gettoken`,
            method: "POST",
            bodyFile: body,
            contentType: "application/json",
            connections: LOGIN_CONCURRENCY * 2,
            seconds: seconds + 2,
          });
          // The flood starts first and outlasts the probe, so the probe sees it all the time.
          await new Promise((resolve) => setTimeout(resolve, 1000));
          const result = await probe(seconds);
          await flooding;
          return result;
        },
      },
      idle: { label: "verify_token p99, no logins", measure: probe },
    });
    return [
      comparison({
        id: "verify_p99_flood_vs_idle",
        title: "verify_token p99 under a login flood vs idle",
        a: sides.flooded,
        b: sides.idle,
        unit: "ms",
        pick: (result) => result.p99Ms,
        target: { atMost: 2 },
      }),
    ];
  },

  async refresh(ctx) {
    const server = await ctx.tokenleader();
    const body = await loginBody(ctx, server, "login-refresh.json");
    const sides = await alternate(ctx, {
      refresh: {
        label: "POST /refresh rotations",
        measure: (seconds) =>
          nodeLoad(REFRESH_CHAINS, {
            base: server.url,
            username: "admin",
            password: server.password,
            connections: LOGIN_CONCURRENCY,
            seconds,
          }),
      },
      login: { label: "POST /token/gettoken logins", measure: gettokenLoad(server, body) },
    });
    return [
      comparison({
        id: "refresh_vs_gettoken",
        title: `/refresh rotations/s vs gettoken logins/s (${LOGIN_CONCURRENCY} at once)`,
        a: sides.refresh,
        b: sides.login,
      }),
    ];
  },

  async jwks(ctx) {
    const server = await ctx.tokenleader();
    const hello = await ctx.hello();
    const sides = await alternate(ctx, {
      jwks: {
        label: "GET /.well-known/jwks.json",
        measure: (seconds) =>
          runLoad({
            url: `${server.url}/.well-known/jwks.json`,
            connections: ctx.connections,
            seconds,
          }),
      },
      hello: {
        label: "Fastify hello-world, logger at info",
        measure: (seconds) => runLoad({ url: hello.url, connections: ctx.connections, seconds }),
      },
    });
    return [
      comparison({
        id: "jwks_vs_hello",
        title: "JWKS vs hello-world (both at log level info)",
        a: sides.jwks,
        b: sides.hello,
      }),
    ];
  },

  async postgres(ctx) {
    const database = await createPostgresDatabase();
    if (!database) {
      ctx.progress("  skipped: no PostgreSQL answers at TOKENLEADER_TEST_POSTGRES_URL");
      return [];
    }
    const sqlite = await ctx.tokenleader();
    let postgres;
    try {
      postgres = await startTokenleader(ctx.dir, "tokenleader-postgres", {
        database: database.url,
      });
      const pgBody = await loginBody(ctx, postgres, "login-postgres.json");
      const sqliteBody = await loginBody(ctx, sqlite, "login-sqlite-2.json");
      const sides = await alternate(ctx, {
        postgres: { label: "gettoken on PostgreSQL", measure: gettokenLoad(postgres, pgBody) },
        sqlite: { label: "gettoken on SQLite", measure: gettokenLoad(sqlite, sqliteBody) },
      });
      return [
        comparison({
          id: "gettoken_postgres_vs_sqlite",
          title: `gettoken logins/s on PostgreSQL vs SQLite (${LOGIN_CONCURRENCY} at once)`,
          a: sides.postgres,
          b: sides.sqlite,
        }),
      ];
    } finally {
      await postgres?.stop();
      await database.drop();
    }
  },

  async rss(ctx) {
    // A server of its own, so "idle" is a fresh process's footprint.
    const server = await startTokenleader(ctx.dir, "tokenleader-rss");
    try {
      const tokens = await verifyTokenFile(ctx, server);
      const body = await loginBody(ctx, server, "login-rss.json");
      const sampled = async (load) => {
        let peak = 0;
        const timer = setInterval(() => {
          peak = Math.max(peak, rssMiB(server.pid));
        }, 100);
        try {
          const result = await load;
          return { ...result, rssMiB: Math.max(peak, rssMiB(server.pid)) };
        } finally {
          clearInterval(timer);
        }
      };
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const idleMiB = rssMiB(server.pid);
      const idle = { label: "idle after start", results: [{ perSecond: 0, rssMiB: idleMiB }] };
      const sides = await alternate(ctx, {
        verify: {
          label: "peak under verify_token load",
          measure: (seconds) =>
            sampled(
              runLoad({
                url: `${server.url}/token/verify_token`,
                tokensFile: tokens,
                tokenHeader: "X-Auth-Token",
                connections: ctx.connections,
                seconds,
              }),
            ),
        },
        logins: {
          label: `peak under ${LOGIN_CONCURRENCY * 2} logins at once`,
          measure: (seconds) =>
            sampled(
              runLoad({
                url: `${server.url}/token/gettoken`,
                method: "POST",
                bodyFile: body,
                contentType: "application/json",
                connections: LOGIN_CONCURRENCY * 2,
                seconds,
              }),
            ),
        },
      });
      const pick = (result) => result.rssMiB;
      return [
        comparison({
          id: "rss_verify_vs_idle",
          title: "RSS under verify_token load vs idle",
          a: sides.verify,
          b: idle,
          unit: "MiB",
          pick,
        }),
        comparison({
          id: "rss_logins_vs_idle",
          title: "RSS under a login flood vs idle",
          a: sides.logins,
          b: idle,
          unit: "MiB",
          pick,
        }),
      ];
    } finally {
      await server.stop();
    }
  },
};

async function enforcerScenario(ctx, framework, alternativeName) {
  const files = await ctx.benchTokens();
  // Fastify also runs the enforcer following a real server's revocation stream (issue 17).
  const following = framework === "fastify" ? await revocationFollowing(ctx) : null;
  const start = async (guard, extraEnv = {}) => {
    const port = await freePort();
    const handle = await startNode(PROTECTED, [], {
      env: {
        FRAMEWORK: framework,
        GUARD: guard,
        PORT: String(port),
        PUBLIC_KEY_FILE: files.publicKey,
        ISSUER: BENCH_ISSUER,
        ACL_FILE: files.acl,
        CACHE_ENTRIES: String(COLD_CACHE_ENTRIES),
        ...extraEnv,
      },
      readyUrl: framework === "express" ? `http://127.0.0.1:${port}/` : undefined,
    });
    if (framework === "fastify") await waitForProtectedRoute(port, handle);
    return { ...handle, url: `http://127.0.0.1:${port}/data` };
  };
  const enforcer = await start("enforcer");
  const alternative = await start("alternative");
  const follower = following ? await start("enforcer", following) : null;
  const load = (target, tokensFile) => (seconds) =>
    runLoad({ url: target.url, tokensFile, connections: ctx.connections, seconds });
  const followerSides = follower
    ? {
        followingWarm: {
          label: "enforcer following revocations, one token",
          measure: load(follower, files.oneToken),
        },
        followingCold: {
          label: `enforcer following revocations, ${COLD_TOKENS} tokens (cache ${COLD_CACHE_ENTRIES})`,
          measure: load(follower, files.manyTokens),
        },
      }
    : {};
  try {
    const sides = await alternate(ctx, {
      ...followerSides,
      enforcerWarm: { label: "enforcer, one token", measure: load(enforcer, files.oneToken) },
      alternativeWarm: {
        label: `${alternativeName} + role check, one token`,
        measure: load(alternative, files.oneToken),
      },
      enforcerCold: {
        label: `enforcer, ${COLD_TOKENS} tokens (cache ${COLD_CACHE_ENTRIES})`,
        measure: load(enforcer, files.manyTokens),
      },
      alternativeCold: {
        label: `${alternativeName} + role check, ${COLD_TOKENS} tokens`,
        measure: load(alternative, files.manyTokens),
      },
    });
    const name = framework === "fastify" ? "Fastify" : "Express";
    return [
      comparison({
        id: `enforcer_${framework}_warm`,
        title: `enforcer (${name}) warm vs ${alternativeName}`,
        a: sides.enforcerWarm,
        b: sides.alternativeWarm,
        target: { atLeast: 2 },
      }),
      comparison({
        id: `enforcer_${framework}_cold`,
        title: `enforcer (${name}) cold vs ${alternativeName}`,
        a: sides.enforcerCold,
        b: sides.alternativeCold,
        target: { atLeast: 1 },
      }),
      ...(follower
        ? [
            comparison({
              id: `enforcer_${framework}_revocations_warm`,
              title: `enforcer (${name}) warm, following revocations vs not`,
              a: sides.followingWarm,
              b: sides.enforcerWarm,
              target: { atLeast: 0.9 },
            }),
            comparison({
              id: `enforcer_${framework}_revocations_cold`,
              title: `enforcer (${name}) cold, following revocations vs not`,
              a: sides.followingCold,
              b: sides.enforcerCold,
              target: { atLeast: 0.9 },
            }),
          ]
        : []),
    ];
  } finally {
    await enforcer.stop();
    await alternative.stop();
    await follower?.stop();
  }
}

/**
 * The environment of a protected app that follows the shared tokenleader server's revocation
 * stream as its initial admin. The admin's own tokens are revoked first, so the followed state is
 * not empty (each request then looks its user up in it).
 */
async function revocationFollowing(ctx) {
  const server = await ctx.tokenleader();
  const res = await fetch(`${server.url}/revoke/user`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-auth-token": await adminToken(server) },
    body: JSON.stringify({ username: "admin" }),
  });
  if (!res.ok) throw new Error(`bench: POST /revoke/user: HTTP ${res.status} ${await res.text()}`);
  return {
    REVOCATIONS_URL: `${server.url}/revocations/stream`,
    REVOCATIONS_USERNAME: "admin",
    REVOCATIONS_PASSWORD: server.password,
  };
}

/** The protected route answers 401 without a token: that it answers at all means ready. */
async function waitForProtectedRoute(port, handle) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (handle.child.exitCode !== null) throw new Error(`bench: ${handle.stderr()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/data`);
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`bench: the protected route on port ${port} did not start`);
}

function argon2Loop(concurrency, seconds) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [ARGON2_LOOP], {
      env: {
        ...process.env,
        ...ARGON2_DEFAULTS,
        CONCURRENCY: String(concurrency),
        SECONDS: String(seconds),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`bench: the argon2 loop exited with ${code}`));
      resolve({ ...JSON.parse(out.trim()), p50Ms: Number.NaN, p99Ms: Number.NaN });
    });
  });
}

/** A Node load script (its own process) that prints one JSON result line. */
function nodeLoad(script, spec) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(spec)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), (spec.seconds + 60) * 1000);
    child.once("error", reject);
    child.once("exit", (code) => {
      clearTimeout(timer);
      if (code !== 0)
        return reject(new Error(`bench: ${path.basename(script)} exited with ${code}`));
      const result = JSON.parse(out.trim().split("\n").at(-1));
      if (result.non2xx > 0) {
        return reject(new Error(`bench: ${result.non2xx} refresh chains were refused`));
      }
      resolve(result);
    });
  });
}

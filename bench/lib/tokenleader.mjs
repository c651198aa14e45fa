// A real tokenleader server process for the scenarios: its own data directory, a free port, the
// sample settings' defaults except where a scenario says otherwise, stdout to /dev/null.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startNode } from "./processes.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SERVER_BIN = path.join(root, "packages/server/bin/tokenleader-server.js");
/**
 * The servers' [passwords] max_concurrent_hashes, written into their settings explicitly: the
 * server's own default (the cores minus one, at least 1), so that the bare-argon2 side of the
 * gettoken comparison can run the very same number of hashes at once.
 */
export const HASH_SLOTS = Math.max(1, os.availableParallelism() - 1);
export const POSTGRES_URL =
  process.env.TOKENLEADER_TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * Starts a server in `<dir>/<name>`: { url, pid, password (the initial admin's), stop() }.
 * `database`: "sqlite" (default) or a PostgreSQL URL; `server`: extra [server] values;
 * `passwords`: [passwords] values besides max_concurrent_hashes = HASH_SLOTS; `nodeArgs`: e.g.
 * ["--cpu-prof"] to profile it.
 */
export async function startTokenleader(
  dir,
  name,
  { database = "sqlite", server = {}, passwords = {}, nodeArgs = [] } = {},
) {
  const dataDir = path.join(dir, name);
  await mkdir(dataDir, { recursive: true });
  const port = await freePort();
  const lines = [
    "[flask_default]",
    "\thost_name = 127.0.0.1",
    `\thost_port = ${port}`,
    "[server]",
    `\tdata_dir = ${dataDir}`,
    ...Object.entries(server).map(([key, value]) => `\t${key} = ${value}`),
  ];
  if (Object.keys(passwords).length > 0) {
    lines.push(
      "[passwords]",
      ...Object.entries(passwords).map(([key, value]) => `\t${key} = ${value}`),
    );
  }
  if (database !== "sqlite") lines.push("[db]", `\turl = ${database}`);
  // Plain-http cookies on 127.0.0.1 (the /refresh scenario). The guessing policy counts every
  // login in flight as a possible failure (atomic reservation), so the load's concurrent logins
  // from one address would be refused at the default bounds: the bounds are raised, the counting
  // (the database work every login pays) stays on.
  lines.push(
    "[login]",
    "\tcookie_secure = false",
    "\tmax_failures_per_account = 10000",
    "\tmax_failures_per_source = 10000",
    "",
  );
  const configFile = path.join(dataDir, "tokenleader_settings.ini");
  await writeFile(configFile, lines.join("\n"));
  const url = `http://127.0.0.1:${port}`;
  const handle = await startNode(SERVER_BIN, ["--config", configFile], {
    readyUrl: `${url}/readyz`,
    nodeArgs,
  });
  const password = (await readFile(path.join(dataDir, "initial-admin-password"), "utf8")).trim();
  return { ...handle, url, password, dataDir };
}

/** A bearer token of the initial admin. */
export async function adminToken(server) {
  const res = await fetch(`${server.url}/token/gettoken`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "admin", password: server.password }),
  });
  const body = await res.json();
  if (!body.auth_token) throw new Error(`bench: gettoken answered ${res.status}`);
  return body.auth_token;
}

/** A fresh PostgreSQL database for one run: { url, drop() }, or null when none answers. */
export async function createPostgresDatabase() {
  const pg = createRequire(path.join(root, "packages/server/package.json"))("pg");
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  try {
    await admin.connect();
  } catch {
    return null;
  }
  const name = `tl_bench_${randomBytes(6).toString("hex")}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

import { type ChildProcess, spawn } from "node:child_process";
import { createPublicKey, generateKeyPairSync, randomBytes } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatOpenSshPublicKey } from "@tokenleader/client";
import { httpsRequest } from "./https-request.js";
import {
  assertCompiled,
  BIN,
  type CliRun,
  cleanEnv,
  freePort,
  runCli,
  SAMPLE_ACL_MAP,
} from "./processes.js";

// One real `tokenleader-server` process per test file: its own port, temp directory, settings
// file (original INI format), data directory and database. Always stop() it in afterAll.

export interface StartServerOptions {
  /** Database URL; default SQLite in the data directory. */
  dbUrl?: string;
  /** Extra INI lines per section, e.g. { token: ["lifetime_seconds = 120"] }. */
  ini?: Record<string, string[]>;
  /** Extra environment variables (the process starts from a clean environment). */
  env?: NodeJS.ProcessEnv;
  /** Extra command-line arguments, e.g. ["--issuer-change"]. */
  args?: string[];
  /**
   * The server speaks HTTPS (its settings say `ssl = enabled`): `url` is https://, and start-up
   * is awaited over HTTPS without certificate verification. getToken() needs plain HTTP.
   */
  https?: boolean;
}

/**
 * The key-encryption key every server of this test file shares (as the instances of one
 * deployment must), so servers on one database read each other's signing key.
 */
export const SHARED_KEY_ENCRYPTION_KEY = randomBytes(32).toString("base64");

export interface TokenleaderServer {
  /** Base URL, e.g. http://127.0.0.1:40123 (the client's tl_url). */
  url: string;
  /** Temp directory holding the settings file, the ACL map and the data directory. */
  dir: string;
  dataDir: string;
  configFile: string;
  /**
   * The random password of the bootstrap user `admin` (from <data_dir>/initial-admin-password);
   * "" when another server on the same database bootstrapped it.
   */
  adminPassword: string;
  /**
   * The public half of the key file placed in this server's data directory, one OpenSSH line
   * (client config `tl_public_key`): the deployment's signing key when this server was the first
   * on its database (it imports that file), not when another server's key was there already.
   */
  publicKeyLine: string;
  /** The signing key (PKCS#8 PEM) as the server keeps it in <data_dir>/keys. */
  privateKeyPem: string;
  /** The process id (to send it signals). */
  pid: number;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  /** The process's exit status once it has exited (null while it runs or if a signal ended it). */
  exitCode(): number | null;
  /** `adminops --config <this server's settings> …` as a real process. */
  adminops(args: string[], input?: string): Promise<CliRun>;
  /** POST /token/gettoken; throws unless a token comes back. */
  getToken(username: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 45_000;

export async function startTokenleaderServer(
  options: StartServerOptions = {},
): Promise<TokenleaderServer> {
  assertCompiled();
  const dir = await mkdtemp(join(tmpdir(), "tl-e2e-"));
  const dataDir = join(dir, "data");
  const keysDir = join(dataDir, "keys");
  const privateKeyFile = join(keysDir, "rsa-signing-key.pem");
  // On an empty database the server imports a key already in its keys folder as the
  // deployment's first key (on a database with a key it uses that one instead). RSA-2048
  // made here takes a fraction of the server's own RSA-3072 generation (its first start with
  // key generation is tested in packages/server/test/server-process.test.ts).
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const pem = generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  await writeFile(privateKeyFile, pem, { mode: 0o600 });
  const aclFile = join(dir, "role_to_acl_map.yml");
  await copyFile(SAMPLE_ACL_MAP, aclFile);

  const port = await freePort();
  const sections: Record<string, string[]> = {
    flask_default: ["host_name = 127.0.0.1", `host_port = ${port}`],
    server: [`data_dir = ${dataDir}`, "log_level = warn", "shutdown_timeout = 5"],
    enforcer: [`role_to_acl_map_file = ${aclFile}`],
    ...(options.dbUrl ? { db: [`url = ${options.dbUrl}`] } : {}),
  };
  for (const [section, lines] of Object.entries(options.ini ?? {})) {
    sections[section] = [...(sections[section] ?? []), ...lines];
  }
  const configFile = join(dir, "tokenleader_settings.ini");
  await writeFile(
    configFile,
    Object.entries(sections)
      .map(([section, lines]) => `[${section}]\n${lines.map((l) => `\t${l}\n`).join("")}`)
      .join("\n"),
  );

  let output = "";
  const child = spawn(
    process.execPath,
    [BIN.server, "--config", configFile, ...(options.args ?? [])],
    {
      env: cleanEnv({ TOKENLEADER_KEY_ENCRYPTION_KEY: SHARED_KEY_ENCRYPTION_KEY, ...options.env }),
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
  // Should the test runner die before afterAll, the server must not outlive it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  const url = `${options.https ? "https" : "http"}://127.0.0.1:${port}`;
  const stop = async () => {
    process.off("exit", killOnExit);
    await stopChild(child, exited);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitUntilHealthy(url, child, () => output);
    const adminPassword = (
      await readFile(join(dataDir, "initial-admin-password"), "utf8").catch(() => "")
    ).trim();
    const publicKeyLine = formatOpenSshPublicKey(createPublicKey(pem), "tokenleader-signing-key");
    const privateKeyPem = await readFile(privateKeyFile, "utf8");
    return {
      url,
      pid: child.pid as number,
      dir,
      dataDir,
      configFile,
      adminPassword,
      publicKeyLine,
      privateKeyPem,
      output: () => output,
      exitCode: () => child.exitCode,
      adminops: (args, input) =>
        runCli(BIN.adminops, ["--config", configFile, ...args], { input, timeoutMs: 30_000 }),
      getToken: (username, password) => fetchToken(url, username, password),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitUntilHealthy(
  url: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`tokenleader-server exited with ${child.exitCode}:\n${output()}`);
    }
    const healthy = await (url.startsWith("https:")
      ? httpsRequest(`${url}/healthz`).then((res) => res.status === 200)
      : fetch(`${url}/healthz`).then((res) => res.ok)
    ).catch(() => false);
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`tokenleader-server did not answer within ${START_TIMEOUT_MS} ms:\n${output()}`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 8_000);
  await exited;
  clearTimeout(timer);
}

async function fetchToken(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/token/gettoken`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { status?: string; auth_token?: string };
  if (body.status !== "success" || !body.auth_token) {
    throw new Error(`gettoken for ${username} refused: HTTP ${res.status} ${JSON.stringify(body)}`);
  }
  return body.auth_token;
}

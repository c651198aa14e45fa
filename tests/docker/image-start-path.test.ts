import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachProvider } from "../../packages/server/test/helpers/test-databases.js";
import { cleanEnv, freePort, runProcess } from "../e2e/support/processes.js";
import { interpolate, readCompose, secretPath } from "./support/compose.js";
import {
  environment,
  execForm,
  healthcheck,
  instructionsOf,
  lastInstruction,
  REPO_ROOT,
  readDockerfile,
  stage,
} from "./support/dockerfile.js";

// The Docker image's start path, run outside Docker (no container engine runs here): the build
// stage's deploy steps, read from docker/Dockerfile, write the image's /app into a temporary
// folder; then, as in docker/compose.yaml, initdb's command and a replica's command and
// environment (secrets as files) run from that folder — migrations, /healthz, /readyz, the
// image's HEALTHCHECK command, a token, and a clean stop on SIGTERM.

const dockerfile = readDockerfile();
const build = stage(dockerfile, "build");
const runtime = stage(dockerfile, "runtime");
const compose = readCompose();
const START_TIMEOUT_MS = 60_000;

let scratch: string;
/** The image's WORKDIR (/app), as `pnpm deploy` made it. */
let appDir: string;
let deploySeconds = 0;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "tl-docker-"));
  appDir = join(scratch, "app");
  const shell = execForm(lastInstruction(build, "SHELL"));
  // The RUN steps that make /out (deploy, migrations, the completeness check), in their order.
  const steps = instructionsOf(build, "RUN")
    .map((run) => run.args)
    .filter((command) => /(^|\s)\/out(\/|\s|$)/.test(command));
  expect(steps.length).toBeGreaterThanOrEqual(2);
  const started = Date.now();
  for (const command of steps) {
    const local = command.replace(/(^|\s)\/out(?=\/|\s|$)/g, `$1${appDir}`);
    const run = await runProcess(shell[0] as string, [...shell.slice(1), local], {
      cwd: REPO_ROOT,
      env: cleanEnv(),
      timeoutMs: 180_000,
    });
    if (run.code !== 0) {
      throw new Error(`RUN ${command} failed (${run.code}):\n${run.stdout}\n${run.stderr}`);
    }
  }
  deploySeconds = (Date.now() - started) / 1000;
  console.info(`image start path: the Dockerfile's deploy steps took ${deploySeconds} s`);
}, 240_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe("the deployed server folder (the image's /app)", () => {
  it("holds the server's launcher and build, its migrations, and no development dependency", () => {
    const [, launcher] = execForm(lastInstruction(runtime, "CMD"));
    expect(existsSync(join(appDir, launcher ?? ""))).toBe(true);
    expect(existsSync(join(appDir, "dist/index.js"))).toBe(true);
    expect(existsSync(join(appDir, "prisma/migrations/postgresql/migration_lock.toml"))).toBe(true);
    // Development dependencies of the server package stay out (--prod).
    for (const devOnly of ["playwright-core", "ajv", "@types/pg"]) {
      expect(existsSync(join(appDir, "node_modules", devOnly)), devOnly).toBe(false);
    }
  });
});

/** A replica's environment: the image's ENV, then compose's (secrets mapped to `secrets`). */
function replicaEnvironment(secrets: Record<string, string>, overrides: NodeJS.ProcessEnv) {
  const replica = compose.services["tokenleader-a"];
  const fromCompose = Object.fromEntries(
    Object.entries(replica?.environment ?? {}).map(([key, value]) => {
      const text = interpolate(String(value));
      const secret = Object.keys(secrets).find((name) => text === secretPath(name));
      return [key, secret ? (secrets[secret] as string) : text];
    }),
  );
  return cleanEnv({ ...environment(runtime), ...fromCompose, ...overrides });
}

/** Writes each secret into its own 0600 file; returns compose secret name → file. */
async function writeSecrets(dir: string, contents: Record<string, string>) {
  await mkdir(dir, { mode: 0o700 });
  const files: Record<string, string> = {};
  for (const [name, content] of Object.entries(contents)) {
    files[name] = join(dir, name);
    await writeFile(files[name], content, { mode: 0o600 });
  }
  return files;
}

describeEachProvider("the image's start path (compose's initdb, then a replica)", (ctx) => {
  let server: ChildProcess | null = null;
  const killOnExit = () => server?.kill("SIGKILL");

  afterAll(() => {
    process.off("exit", killOnExit);
    if (server && server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
  });

  it("migrates, serves /healthz and /readyz, passes the HEALTHCHECK, issues a token and stops cleanly", async () => {
    const dir = await mkdtemp(join(scratch, `${ctx.provider}-`));
    const dataDir = join(dir, "data");
    await mkdir(dataDir, { mode: 0o700 });
    // A password in the URL (PostgreSQL here trusts local connections and ignores it) to show
    // that the secret never reaches the output.
    const dbPassword = `pw-${randomBytes(9).toString("hex")}`;
    const database = await ctx.createDatabase({ migrate: false });
    // initdb on SQLite needs the file to itself: this test lets go of it first.
    await database.db.close();
    const dbUrl = new URL(database.url);
    if (ctx.provider === "postgresql") dbUrl.password = dbPassword;
    const kek = randomBytes(32).toString("base64");
    const secrets = await writeSecrets(join(dir, "secrets"), {
      "tokenleader-db-url": `${dbUrl.toString()}\n`,
      "tokenleader-key-encryption-key": `${kek}\n`,
    });
    const port = await freePort();
    const env = replicaEnvironment(secrets, {
      TOKENLEADER_DATA_DIR: dataDir,
      TOKENLEADER_PORT: String(port),
      // The container listens on 0.0.0.0; here only loopback is needed.
      TOKENLEADER_HOST: "127.0.0.1",
      HOME: dir,
    });
    expect(env.TOKENLEADER_DB_URL_FILE).toBe(secrets["tokenleader-db-url"]);
    expect(env.TOKENLEADER_MIGRATE_ON_START).toBe("false");

    // initdb (one-shot in compose): the replica does not migrate by itself.
    const [initNode, ...initArgs] = compose.services.initdb?.command ?? [];
    expect(initNode).toBe("node");
    const initdb = await runProcess(process.execPath, initArgs, {
      cwd: appDir,
      env,
      timeoutMs: 60_000,
    });
    expect(initdb.code, initdb.stderr).toBe(0);
    expect(initdb.stdout).toMatch(/applied \d+ migrations/);

    const [node, ...args] = execForm(lastInstruction(runtime, "CMD"));
    expect(node).toBe("node");
    let output = "";
    const child = spawn(process.execPath, args, {
      cwd: appDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    server = child;
    process.once("exit", killOnExit);
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const url = `http://127.0.0.1:${port}`;

    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`);
      if (Date.now() > deadline) throw new Error(`no /healthz within 60 s:\n${output}`);
      const healthy = await fetch(`${url}/healthz`).then(
        (res) => res.ok,
        () => false,
      );
      if (healthy) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready" });

    // The image's HEALTHCHECK command, in the container's environment.
    const { command: probe } = healthcheck(lastInstruction(runtime, "HEALTHCHECK"));
    expect(probe[0]).toBe("node");
    const runProbe = () =>
      runProcess(process.execPath, probe.slice(1), { cwd: appDir, env, timeoutMs: 15_000 });
    expect((await runProbe()).code).toBe(0);

    const password = (await readFile(join(dataDir, "initial-admin-password"), "utf8")).trim();
    const res = await fetch(`${url}/token/gettoken`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "admin", password }),
    });
    const body = (await res.json()) as { status?: string; auth_token?: string };
    expect(body.status).toBe("success");
    // Issued for the public URL every replica shares (compose's TOKENLEADER_PUBLIC_URL).
    expect(decodeJwt(body.auth_token ?? "").iss).toBe(env.TOKENLEADER_PUBLIC_URL);
    const verified = await fetch(`${url}/token/verify_token`, {
      headers: { "x-auth-token": body.auth_token ?? "" },
    });
    expect(verified.status).toBe(200);

    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    const code = await exited;
    clearTimeout(timer);
    expect(code, output).toBe(0);
    // The HEALTHCHECK fails once nothing answers.
    expect((await runProbe()).code).not.toBe(0);

    // The key-encryption key came from its file (none generated) and no secret was printed.
    expect(existsSync(join(dataDir, "key-encryption.key"))).toBe(false);
    expect(output).not.toContain(kek);
    expect(output).not.toContain(dbPassword);
    expect(output).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  }, 120_000);
});

describe("a replica whose secret file is missing", () => {
  it("exits non-zero at once, naming the variable and the file, without a stack trace", async () => {
    const dir = await mkdtemp(join(scratch, "missing-"));
    const missing = join(dir, "no-such-secret");
    const env = replicaEnvironment(
      { "tokenleader-db-url": missing, "tokenleader-key-encryption-key": missing },
      { TOKENLEADER_DATA_DIR: dir, TOKENLEADER_PORT: String(await freePort()), HOME: dir },
    );
    const [, ...args] = execForm(lastInstruction(runtime, "CMD"));
    const run = await runProcess(process.execPath, args, { cwd: appDir, env, timeoutMs: 30_000 });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      `environment variable TOKENLEADER_DB_URL_FILE=${missing}: ${missing} does not exist`,
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

// The shipped launchers (what `pnpm exec tokenleader …` runs); they import the compiled dist/,
// which the root `pnpm test` builds first (`pnpm exec tsc -b` by hand).
const root = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));

export const BIN = {
  server: root("packages/server/bin/tokenleader-server.js"),
  adminops: root("packages/server/bin/adminops.js"),
  tokenleader: root("packages/client/bin/tokenleader.js"),
  tokenleaderAuth: root("packages/client/bin/tokenleader-auth.js"),
} as const;

const COMPILED = [
  root("packages/server/dist/cli/tokenleader-server/main.js"),
  root("packages/server/dist/cli/adminops/main.js"),
  root("packages/client/dist/cli/tokenleader/main.js"),
  root("packages/client/dist/cli/tokenleader-auth/main.js"),
];

export const SAMPLE_ACL_MAP = root("etc/role_to_acl_map.yml");

/** Fails the test file at once with the fix, instead of a confusing "module not found". */
export function assertCompiled(): void {
  const missing = COMPILED.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(
      `compiled CLIs missing (${missing.join(", ")}): run \`pnpm exec tsc -b\` first (the root \`pnpm test\` does)`,
    );
  }
}

/**
 * The environment of every child: this machine's, without settings a developer may have exported
 * (TOKENLEADER_*, TL_USER, TL_PASSWORD), so each test says everything it depends on.
 */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("TOKENLEADER_") || key === "TL_USER" || key === "TL_PASSWORD") continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs one CLI as a real process. Asynchronous on purpose: the servers some tests talk to live in
 * this process (Express/Fastify apps), which spawnSync would block.
 */
export function runCli(
  bin: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliRun> {
  return runProcess(process.execPath, [bin, ...args], {
    ...options,
    env: cleanEnv(options.env),
  });
}

export interface RunProcessOptions {
  env: NodeJS.ProcessEnv;
  input?: string;
  cwd?: string;
  timeoutMs?: number;
  /** Its own process group (the caller can kill it and everything it started). */
  detached?: boolean;
  onSpawn?: (pid: number | undefined) => void;
}

/** Runs a command to its end, collecting its output; killed after timeoutMs (default 20 s). */
export function runProcess(
  command: string,
  args: string[],
  options: RunProcessOptions,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: options.env,
      cwd: options.cwd,
      detached: options.detached ?? false,
      stdio: ["pipe", "pipe", "pipe"],
    });
    options.onSpawn?.(child.pid);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} did not finish; stderr so far: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** A port nobody listens on right now (the OS picks it; released before the server binds it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

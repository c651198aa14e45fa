import { type ChildProcess, spawn } from "node:child_process";
import { freePort } from "../../e2e/support/processes.js";

// A README example run as its own Node process on a free port, the way a reader would run it.

export interface RunningExample {
  readonly child: ChildProcess;
  readonly port: number;
  /** What the example printed on stderr so far (for "did not start" messages). */
  stderr(): string;
}

/** Starts `script` with PORT set (plus `env`); the caller kills `child` when done. */
export async function startExample(
  script: string,
  { cwd, env }: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<RunningExample> {
  const port = await freePort();
  let stderr = "";
  const child = spawn(process.execPath, [script], {
    cwd,
    env: { ...process.env, PORT: String(port), ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  return { child, port, stderr: () => stderr };
}

/** The first answer to `ask` once the example listens; undefined after `attempts` × 100 ms. */
export async function firstAnswer(
  ask: () => Promise<Response>,
  attempts: number,
): Promise<Response | undefined> {
  for (let i = 0; i < attempts; i++) {
    const answer = await ask().catch(() => undefined);
    if (answer) return answer;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

// The processes a benchmark measures: started here, each on a free port of 127.0.0.1, each
// stopped by the harness (stopAll) whatever happens.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";

const running = new Set();

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export async function waitForUrl(url, { timeoutMs = 60_000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`bench: the process for ${url} exited with ${child.exitCode}`);
    }
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`bench: ${url} did not become ready within ${timeoutMs} ms`);
}

/**
 * Starts `node <script> <args>` with stdout to /dev/null (a server's log costs the same write
 * calls as on a real host's pipe, minus the reader) and stderr kept for error messages.
 */
export async function startNode(script, args, { env = {}, readyUrl, nodeArgs = [] } = {}) {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const handle = {
    child,
    pid: child.pid,
    stderr: () => stderr,
    async stop() {
      running.delete(handle);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.add(handle);
  if (readyUrl) {
    try {
      await waitForUrl(readyUrl, { child });
    } catch (err) {
      await handle.stop();
      throw new Error(`${err.message}\n${stderr}`);
    }
  }
  return handle;
}

export async function stopAll() {
  await Promise.all([...running].map((handle) => handle.stop()));
}

/** Resident set size of a process in MiB (Linux /proc), NaN where unreadable. */
export function rssMiB(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmRSS:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { parsePrometheusText, sampleValue } from "./prometheus-text.js";

// node:cluster workers share one port, so a scrape reaches one of them: its metrics must be the
// whole cluster's. Real processes (a primary and two workers) on the compiled module.

const compiled = fileURLToPath(new URL("../../dist/metrics/index.js", import.meta.url));

const SCRIPT = `
import cluster from "node:cluster";
const metrics = await import(process.env.METRICS_MODULE);
if (cluster.isPrimary) {
  metrics.serveClusterMetrics();
  const workers = [cluster.fork(), cluster.fork()];
  let ready = 0;
  const exit = (code) => { for (const w of workers) w.kill(); process.exit(code); };
  setTimeout(() => { console.error("timed out"); exit(3); }, 20000).unref();
  for (const worker of workers) {
    worker.on("message", (message) => {
      if (message.ready && ++ready === workers.length) workers[0].send({ scrape: true });
      if (message.text !== undefined) { process.stdout.write(message.text, () => exit(0)); }
      if (message.failed) { console.error(message.failed); exit(4); }
    });
  }
} else {
  metrics.joinClusterMetrics();
  for (let i = 0; i < cluster.worker.id * 10; i++) metrics.serverMetrics.tokenIssued("bearer");
  process.on("message", (message) => {
    if (!message.scrape) return;
    metrics.metricsText().then((text) => process.send({ text }), (e) => process.send({ failed: e.message }));
  });
  process.send({ ready: true });
}
`;

let dir: string;
beforeAll(async () => {
  if (!existsSync(compiled)) throw new Error(`${compiled} missing: run \`pnpm exec tsc -b\` first`);
  dir = await mkdtemp(join(tmpdir(), "tl-cluster-metrics-"));
  await writeFile(join(dir, "cluster.mjs"), SCRIPT);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("a worker's /metrics text sums every worker's counters", async () => {
  const child = spawn(process.execPath, [join(dir, "cluster.mjs")], {
    env: { ...process.env, METRICS_MODULE: compiled },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  expect(code, stderr).toBe(0);
  const { samples } = parsePrometheusText(stdout);
  // Worker 1 issued 10, worker 2 issued 20.
  expect(sampleValue(samples, "tokenleader_tokens_issued_total", { kind: "bearer" })).toBe(30);
}, 30_000);

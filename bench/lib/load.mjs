// Load from a separate process: wrk (Debian's package) with bench/wrk/request.lua, or autocannon
// (bench/load/autocannon-load.mjs) where wrk is not installed. Each run is bounded by its
// duration; a run that gets no answer at all, or answers other than 2xx/3xx, is an error.
import { execFileSync, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseWrkOutput } from "./wrk-output.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const LUA_SCRIPT = path.join(here, "..", "wrk", "request.lua");
const AUTOCANNON_SCRIPT = path.join(here, "..", "load", "autocannon-load.mjs");

let generator;
/** "wrk" when it is on PATH, else "autocannon". */
export function loadGenerator() {
  if (generator === undefined) {
    try {
      execFileSync("wrk", ["--version"], { stdio: "ignore" });
      generator = "wrk";
    } catch (err) {
      // wrk --version exits 1 after printing its version; only a missing binary is ENOENT.
      generator = err?.code === "ENOENT" ? "autocannon" : "wrk";
    }
  }
  return generator;
}

/** Writes a request body once, for the load generator to read. */
export async function bodyFile(dir, name, value) {
  const file = path.join(dir, name);
  await writeFile(file, typeof value === "string" ? value : JSON.stringify(value));
  return file;
}

/**
 * Runs one load: { url, seconds, connections, method?, bodyFile?, contentType?, tokensFile?,
 * tokenHeader? ("Authorization" or e.g. "X-Auth-Token") } → { perSecond, requests, p50Ms, p99Ms,
 * non2xx, socketErrors }.
 */
export async function runLoad(spec) {
  const full = { method: "GET", tokenHeader: "Authorization", ...spec };
  const result = loadGenerator() === "wrk" ? await runWrk(full) : await runAutocannon(full);
  if (result.requests === 0) throw new Error(`bench: no request to ${spec.url} was answered`);
  if (result.non2xx > 0 && !spec.allowErrors) {
    throw new Error(
      `bench: ${result.non2xx} of ${result.requests} answers from ${spec.url} were not 2xx/3xx`,
    );
  }
  return result;
}

async function runWrk(spec) {
  const args = [
    "-t1",
    `-c${spec.connections}`,
    `-d${spec.seconds}s`,
    "--latency",
    "--timeout",
    "10s",
    "-s",
    LUA_SCRIPT,
    spec.url,
  ];
  const env = {
    ...process.env,
    BENCH_METHOD: spec.method,
    BENCH_BODY_FILE: spec.bodyFile ?? "",
    BENCH_CONTENT_TYPE: spec.contentType ?? "",
    BENCH_TOKENS_FILE: spec.tokensFile ?? "",
    BENCH_TOKEN_HEADER: spec.tokenHeader,
  };
  const output = await collect("wrk", args, env, spec.seconds);
  return parseWrkOutput(output);
}

async function runAutocannon(spec) {
  const output = await collect(
    process.execPath,
    [AUTOCANNON_SCRIPT, JSON.stringify(spec)],
    process.env,
    spec.seconds,
  );
  return JSON.parse(output.trim().split("\n").at(-1));
}

/** Runs a command to its end (killed after its duration + 30 s) and returns its stdout. */
function collect(command, args, env, seconds) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), (seconds + 30) * 1000);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new Error(`bench: ${command} ended with ${signal ?? code}: ${stderr || stdout}`));
    });
  });
}

// What a password hash costs token verification merely by running on the same machine, with no
// login at all: verify_token's p99 and rate alone, and with a bare argon2id loop (the [passwords]
// defaults, one at a time, in a separate process at the lowest priority, nice 19) beside it.
// The floor under the `flood` scenario's ratio: the flood adds the logins' own work to this.
//
//   node bench/hash-beside-verify.mjs [runs=3] [seconds=3]
//
// Prints each run and the medians. Linux (nice); load from wrk or autocannon as `pnpm bench`.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bodyFile, runLoad } from "./lib/load.mjs";
import { median } from "./lib/stats.mjs";
import { adminToken, startTokenleader } from "./lib/tokenleader.mjs";

const runs = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 3);
const ARGON2_LOOP = path.join(path.dirname(fileURLToPath(import.meta.url)), "load/argon2-loop.mjs");

const dir = await mkdtemp(path.join(os.tmpdir(), "tl-hash-beside-"));
const server = await startTokenleader(dir, "server");
try {
  const tokens = await bodyFile(dir, "token.txt", `${await adminToken(server)}\n`);
  const probe = () =>
    runLoad({
      url: `${server.url}/token/verify_token`,
      tokensFile: tokens,
      tokenHeader: "X-Auth-Token",
      connections: 8,
      seconds,
    });
  const alone = [];
  const beside = [];
  for (let run = 0; run < runs; run++) {
    alone.push(await probe());
    const hashing = spawn("nice", ["-n", "19", process.execPath, ARGON2_LOOP], {
      env: {
        ...process.env,
        CONCURRENCY: "1",
        SECONDS: String(seconds + 2),
        MEMORY_COST: "19456",
        TIME_COST: "2",
        PARALLELISM: "1",
      },
      stdio: "ignore",
    });
    const ended = new Promise((resolve) => hashing.on("exit", resolve));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    beside.push(await probe());
    await ended;
    const [a, b] = [alone[run], beside[run]];
    console.log(
      `run ${run + 1}: alone ${Math.round(a.perSecond)}/s p99 ${a.p99Ms} ms; beside a hash ${Math.round(b.perSecond)}/s p99 ${b.p99Ms} ms`,
    );
  }
  const p99 = (results) => median(results.map((result) => result.p99Ms));
  const rate = (results) => median(results.map((result) => result.perSecond));
  console.log(
    `median: p99 ${p99(beside)} ms beside a hash vs ${p99(alone)} ms alone (${(p99(beside) / p99(alone)).toFixed(2)}×); ` +
      `rate ${(rate(beside) / rate(alone)).toFixed(2)}×`,
  );
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

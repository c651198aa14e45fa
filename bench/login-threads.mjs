// Where a login's CPU goes, per thread of the server process: starts a tokenleader server (SQLite,
// one hash slot), runs CONNECTIONS closed-loop logins for SECONDS, and prints per login, for each
// busy thread, its CPU time and its run-queue wait (/proc/<pid>/task/<tid>/schedstat: time it was
// ready to run but had no core). Linux only. The first 2 s (warm-up) are left out.
//
//   node bench/login-threads.mjs [seconds=10] [connections=4]
//
// On a quiet 2-core machine the hash thread's run-queue wait per login is what the login's other
// work (event loop, signing on the libuv pool, GC helpers) takes from the hash; the main thread's
// line is the event-loop CPU per login.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startTokenleader } from "./lib/tokenleader.mjs";

const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 4);
const WARMUP_MS = 2000;

/** CPU ms (utime + stime) and run-queue wait ms of every thread of `pid`, by thread id. */
async function threadTimes(pid) {
  const times = new Map();
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    try {
      const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      const schedstat = (await readFile(`/proc/${pid}/task/${tid}/schedstat`, "utf8")).split(" ");
      times.set(tid, { cpuMs: ticks * (1000 / 100), waitMs: Number(schedstat[1]) / 1e6 });
    } catch {
      // The thread ended meanwhile.
    }
  }
  return times;
}

const dir = await mkdtemp(path.join(os.tmpdir(), "tl-login-threads-"));
const server = await startTokenleader(dir, "server", {
  passwords: { max_concurrent_hashes: 1 },
});
try {
  const body = JSON.stringify({ username: "admin", password: server.password });
  let logins = 0;
  const started = Date.now();
  const deadline = started + WARMUP_MS + seconds * 1000;
  let before;
  let loginsBefore = 0;
  const warmedUp = new Promise((resolve) =>
    setTimeout(async () => {
      loginsBefore = logins;
      before = await threadTimes(server.pid);
      resolve();
    }, WARMUP_MS),
  );
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < deadline) {
        const res = await fetch(`${server.url}/token/gettoken`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
        });
        await res.arrayBuffer();
        if (res.status !== 201) throw new Error(`bench: gettoken answered ${res.status}`);
        logins++;
      }
    }),
  );
  await warmedUp;
  const after = await threadTimes(server.pid);
  const measured = logins - loginsBefore;
  console.log(
    `${(measured / seconds).toFixed(1)} logins/s, ${connections} connections, load average ${os.loadavg()[0].toFixed(2)}`,
  );
  console.log("thread      CPU ms/login  run-queue wait ms/login");
  let total = 0;
  for (const [tid, now] of after) {
    const was = before.get(tid) ?? { cpuMs: 0, waitMs: 0 };
    const cpu = (now.cpuMs - was.cpuMs) / measured;
    total += cpu;
    if (cpu < 0.05) continue;
    const name = tid === String(server.pid) ? "main" : tid;
    console.log(
      `${name.padEnd(12)}${cpu.toFixed(2).padStart(12)}  ${((now.waitMs - was.waitMs) / measured).toFixed(2).padStart(23)}`,
    );
  }
  console.log(`all threads ${total.toFixed(2).padStart(12)}`);
} finally {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

// argon2id on threads of its own, each at a lower CPU priority than the event loop.
//
// Why: a hash keeps a core busy for ~10 ms. On libuv's pool it runs at the event loop's priority,
// so while logins are flooded the kernel shares a core between hashing and the event loop that
// answers /token/verify_token, and a verification waits for a time slice (p99 ×4–5 on 2 cores).
// A hash thread with a higher nice value still gets every idle cycle, but the event loop takes
// the core whenever it has work: verifications stay fast, logins use what is left.
//
// The threads come and go with demand: the hash slots (hash-slots.ts) bound how many hashes run
// at once, and each running hash holds one thread, so there are never more threads than slots.
// Idle threads stay for the next login; they do not keep the process alive (unref), a thread with
// a hash in progress does.

import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** argon2id parameters of a new hash (memory in KiB). */
export interface HashThreadParams {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/** Default nice value of hash threads: below the event loop (0), above nothing else. */
export const DEFAULT_HASH_THREAD_NICE = 10;

type Job =
  | { readonly kind: "verify"; readonly stored: string; readonly password: string }
  | {
      readonly kind: "hash";
      readonly password: string;
      readonly params: HashThreadParams;
    };

type Reply =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

// The thread's code, as a script: a file of its own would not run under the test runner, which
// imports this package from TypeScript source. It lowers its own priority first (Linux: the nice
// value of a thread id is the thread's own; elsewhere /proc/thread-self is missing and it keeps
// the process's priority), then answers one job at a time with argon2's synchronous calls.
const THREAD_SCRIPT = `
"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const { readlinkSync } = require("node:fs");
const { setPriority } = require("node:os");
const argon2 = require(workerData.argon2Path);
const ARGON2ID = 2;
if (workerData.nice > 0) {
  try {
    const tid = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, workerData.nice);
  } catch {}
}
parentPort.on("message", (job) => {
  let reply;
  try {
    if (job.kind === "verify") {
      let ok = false;
      try { ok = argon2.verifySync(job.stored, job.password); } catch { ok = false; }
      reply = { ok: true, value: ok };
    } else {
      const value = argon2.hashSync(job.password, {
        algorithm: ARGON2ID,
        memoryCost: job.params.memoryCost,
        timeCost: job.params.timeCost,
        parallelism: job.params.parallelism,
      });
      reply = { ok: true, value };
    }
  } catch (error) {
    reply = { ok: false, message: String(error && error.message || error) };
  }
  parentPort.postMessage(reply);
});
`;

const argon2Path = createRequire(import.meta.url).resolve("@node-rs/argon2");

interface HashThread {
  readonly worker: Worker;
  /** The job in progress: settled by the thread's reply, or rejected if the thread dies. */
  current: { resolve: (value: unknown) => void; reject: (error: Error) => void } | null;
}

export class HashThreads {
  #nice: number;
  readonly #idle: HashThread[] = [];
  readonly #all = new Set<HashThread>();

  constructor(nice = DEFAULT_HASH_THREAD_NICE) {
    this.#nice = nice;
  }

  /**
   * A new nice value applies to threads started from now on: the idle ones are let go, so the
   * next hashes start threads with it; a running hash finishes on its thread.
   */
  configure({ nice }: { nice: number }): void {
    if (nice === this.#nice) return;
    this.#nice = nice;
    for (const thread of this.#idle.splice(0)) this.#retire(thread);
  }

  /** Threads alive now (running a hash or idle). */
  get size(): number {
    return this.#all.size;
  }

  /** True when `password` matches the argon2 PHC string `stored`; false for a malformed one. */
  verify(stored: string, password: string): Promise<boolean> {
    return this.#run({ kind: "verify", stored, password }) as Promise<boolean>;
  }

  /** A new argon2id PHC string of `password`. */
  hash(password: string, params: HashThreadParams): Promise<string> {
    return this.#run({
      kind: "hash",
      password,
      params: {
        memoryCost: params.memoryCost,
        timeCost: params.timeCost,
        parallelism: params.parallelism,
      },
    }) as Promise<string>;
  }

  #run(job: Job): Promise<unknown> {
    const thread = this.#idle.pop() ?? this.#start();
    // Referenced while it hashes: a process waiting for nothing but a hash (an adminops command)
    // must not exit before the answer; unreferenced again once idle.
    thread.worker.ref();
    return new Promise((resolve, reject) => {
      thread.current = { resolve, reject };
      thread.worker.postMessage(job);
    });
  }

  #start(): HashThread {
    const worker = new Worker(THREAD_SCRIPT, {
      eval: true,
      workerData: { argon2Path, nice: this.#nice },
      // The script is CommonJS: none of the process's flags (say --input-type=module) apply.
      execArgv: [],
      // A hash thread needs argon2's memory (outside the JS heap), not a large heap of its own.
      resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 4 },
    });
    const thread: HashThread = { worker, current: null };
    const nice = this.#nice;
    worker.on("message", (reply: Reply) => {
      const current = thread.current;
      thread.current = null;
      worker.unref();
      if (nice === this.#nice && this.#all.has(thread)) this.#idle.push(thread);
      else this.#retire(thread);
      if (reply.ok) current?.resolve(reply.value);
      else current?.reject(new Error(reply.message));
    });
    const fail = (error: Error) => {
      this.#forget(thread);
      thread.current?.reject(error);
      thread.current = null;
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`password hash thread exited (code ${code})`)));
    // After the listeners: adding a "message" listener references the worker again.
    worker.unref();
    this.#all.add(thread);
    return thread;
  }

  #retire(thread: HashThread): void {
    this.#forget(thread);
    void thread.worker.terminate();
  }

  #forget(thread: HashThread): void {
    this.#all.delete(thread);
    const at = this.#idle.indexOf(thread);
    if (at >= 0) this.#idle.splice(at, 1);
  }
}

/** Every argon2 hash of this process runs on these threads (inside a hash slot). */
export const hashThreads = new HashThreads();

// How many password hashes (argon2id, Werkzeug pbkdf2/scrypt) run at once in this process. Each
// one occupies a libuv pool thread and a CPU core for tens of milliseconds; unbounded, a login
// flood runs as many as the pool has threads (4) on every core there is, and the event loop, which
// answers /token/verify_token and everything else, waits for a core. Capped at one fewer than
// the cores, a core stays free for the event loop; hashes beyond the cap wait in a queue, and when
// that queue is full a login is refused with 503 + Retry-After instead of growing memory and
// latency without bound.
//
// One instance per process on purpose: the cores and the libuv pool it guards are the process's.

import os from "node:os";
import { AppError } from "../errors.js";

export interface HashSlotLimits {
  /** Hashes computed at the same time (≥ 1). */
  readonly maxConcurrent: number;
  /** Hashes allowed to wait for a slot (≥ 0); one more is refused with BUSY. */
  readonly maxQueued: number;
}

export interface HashSlotStats {
  /** Hashes running now. */
  readonly running: number;
  /** Hashes waiting for a slot now. */
  readonly queued: number;
  /** The most that ever ran at once (since the last configure). */
  readonly peakRunning: number;
  /** Hashes refused because the queue was full (since the last configure). */
  readonly refused: number;
}

/** A client refused for a full queue retries after this long (a few hashes' time). */
export const BUSY_RETRY_AFTER_SEC = 1;

/** One core for the event loop, the others for hashes; at least one hash at a time. */
export function defaultMaxConcurrentHashes(cores = os.availableParallelism()): number {
  return Math.max(1, cores - 1);
}

export const DEFAULT_MAX_QUEUED_HASHES = 64;

export class HashSlots {
  #limits: HashSlotLimits;
  #running = 0;
  #peakRunning = 0;
  #refused = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limits: HashSlotLimits) {
    this.#limits = limits;
  }

  /** New limits apply to hashes that start from now on; running and queued ones carry on. */
  configure(limits: HashSlotLimits): void {
    this.#limits = limits;
    this.#peakRunning = this.#running;
    this.#refused = 0;
    this.#admitWaiting();
  }

  get limits(): HashSlotLimits {
    return this.#limits;
  }

  stats(): HashSlotStats {
    return {
      running: this.#running,
      queued: this.#waiting.length,
      peakRunning: this.#peakRunning,
      refused: this.#refused,
    };
  }

  /**
   * Runs `hash` in a slot: at once if one is free, else after the hashes queued before it. Throws
   * AppError BUSY (503, retry after BUSY_RETRY_AFTER_SEC) when the queue is full. Never call it
   * from inside another `run` (a hash that waits for a second slot could wait forever).
   */
  async run<T>(hash: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limits.maxConcurrent) {
      if (this.#waiting.length >= this.#limits.maxQueued) {
        this.#refused++;
        throw new AppError("BUSY", undefined, { retryAfterSec: BUSY_RETRY_AFTER_SEC });
      }
      // The slot is handed over by the hash that ends (see #release): no gap between two hashes.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#occupy();
    }
    try {
      return await hash();
    } finally {
      this.#release();
    }
  }

  #occupy(): void {
    this.#running++;
    if (this.#running > this.#peakRunning) this.#peakRunning = this.#running;
  }

  #release(): void {
    this.#running--;
    this.#admitWaiting();
  }

  #admitWaiting(): void {
    while (this.#running < this.#limits.maxConcurrent && this.#waiting.length > 0) {
      this.#occupy();
      this.#waiting.shift()?.();
    }
  }
}

/** Every password hash of this process goes through these slots. */
export const hashSlots = new HashSlots({
  maxConcurrent: defaultMaxConcurrentHashes(),
  maxQueued: DEFAULT_MAX_QUEUED_HASHES,
});

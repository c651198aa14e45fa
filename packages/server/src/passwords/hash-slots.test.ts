import { describe, expect, it } from "vitest";
import { AppError } from "../errors.js";
import { defaultMaxConcurrentHashes, HashSlots } from "./hash-slots.js";

/** A hash the test finishes by hand, recording when it started. */
function gatedHash(started: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    run: async () => {
      started.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

/** Lets every queued continuation run (no timers involved). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("HashSlots", () => {
  it("with one slot, starts the second hash only when the first has ended", async () => {
    const slots = new HashSlots({ maxConcurrent: 1, maxQueued: 4 });
    const started: string[] = [];
    const first = gatedHash(started, "first");
    const second = gatedHash(started, "second");
    const firstResult = slots.run(first.run);
    const secondResult = slots.run(second.run);
    await settle();
    expect(started).toEqual(["first"]);
    expect(slots.stats()).toMatchObject({ running: 1, queued: 1 });

    first.finish();
    expect(await firstResult).toBe("first");
    await settle();
    expect(started).toEqual(["first", "second"]);
    expect(slots.stats()).toMatchObject({ running: 1, queued: 0 });
    second.finish();
    expect(await secondResult).toBe("second");
    expect(slots.stats()).toEqual({ running: 0, queued: 0, peakRunning: 1, refused: 0 });
  });

  it("runs up to maxConcurrent at once", async () => {
    const slots = new HashSlots({ maxConcurrent: 2, maxQueued: 4 });
    const started: string[] = [];
    const hashes = ["a", "b", "c"].map((name) => gatedHash(started, name));
    const results = hashes.map((hash) => slots.run(hash.run));
    await settle();
    expect(started).toEqual(["a", "b"]);
    for (const hash of hashes) hash.finish();
    expect(await Promise.all(results)).toEqual(["a", "b", "c"]);
    expect(slots.stats().peakRunning).toBe(2);
  });

  it("refuses with BUSY (503, Retry-After) when the queue is full, and the refusal takes no slot", async () => {
    const slots = new HashSlots({ maxConcurrent: 1, maxQueued: 1 });
    const started: string[] = [];
    const running = gatedHash(started, "running");
    const waiting = gatedHash(started, "waiting");
    const runningResult = slots.run(running.run);
    const waitingResult = slots.run(waiting.run);
    const refused = await slots.run(async () => "never").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: "BUSY", httpStatus: 503, retryAfterSec: 1 });
    expect(slots.stats()).toEqual({ running: 1, queued: 1, peakRunning: 1, refused: 1 });
    running.finish();
    waiting.finish();
    expect(await Promise.all([runningResult, waitingResult])).toEqual(["running", "waiting"]);
    expect(slots.stats()).toMatchObject({ running: 0, queued: 0 });
  });

  it("with a queue of 0, refuses whatever finds every slot taken", async () => {
    const slots = new HashSlots({ maxConcurrent: 1, maxQueued: 0 });
    const running = gatedHash([], "running");
    const result = slots.run(running.run);
    await expect(slots.run(async () => "never")).rejects.toMatchObject({ code: "BUSY" });
    running.finish();
    await result;
    expect(await slots.run(async () => "next")).toBe("next");
  });

  it("gives the slot back when a hash fails", async () => {
    const slots = new HashSlots({ maxConcurrent: 1, maxQueued: 0 });
    await expect(
      slots.run(async () => {
        throw new Error("native failure");
      }),
    ).rejects.toThrow("native failure");
    expect(slots.stats().running).toBe(0);
    expect(await slots.run(async () => "ok")).toBe("ok");
  });

  it("admits waiting hashes at once when configure raises the limit", async () => {
    const slots = new HashSlots({ maxConcurrent: 1, maxQueued: 4 });
    const started: string[] = [];
    const first = gatedHash(started, "first");
    const second = gatedHash(started, "second");
    const results = [slots.run(first.run), slots.run(second.run)];
    await settle();
    expect(started).toEqual(["first"]);
    slots.configure({ maxConcurrent: 2, maxQueued: 4 });
    await settle();
    expect(started).toEqual(["first", "second"]);
    first.finish();
    second.finish();
    await Promise.all(results);
  });
});

describe("defaultMaxConcurrentHashes", () => {
  it("leaves one core to the event loop, and runs at least one hash", () => {
    expect(defaultMaxConcurrentHashes(1)).toBe(1);
    expect(defaultMaxConcurrentHashes(2)).toBe(1);
    expect(defaultMaxConcurrentHashes(8)).toBe(7);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashSlots, hashThreads } from "../src/passwords/index.js";
import { createTestDatabase, type TestDatabase } from "./helpers/test-databases.js";
import { createTestServer, seedUsers, type TestServer } from "./helpers/test-server.js";
import { niceOf, threadNiceValues } from "./helpers/thread-priorities.js";

// [passwords] max_concurrent_hashes / max_queued_hashes as a client sees them: logins wait for a
// hash slot, and are refused with 503 + Retry-After when the queue is full, without that counting
// as a guess. The slots are the process's (the server's app.inject runs in this process), so the
// test can occupy the one slot itself instead of relying on timing.

describe("password hash slots at POST /token/gettoken", () => {
  let database: TestDatabase;
  let server: TestServer;

  const login = (n = 1) =>
    server.app.inject({
      method: "POST",
      url: "/token/gettoken",
      payload: { username: `user${n}`, password: `user${n}-password` },
      remoteAddress: `192.0.2.${n}`,
    });

  /** Takes the one slot until the returned function is called. */
  function occupyTheSlot(): () => Promise<void> {
    let release!: () => void;
    const held = hashSlots.run(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    return async () => {
      release();
      await held;
    };
  }

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    server = await createTestServer({
      db: database.db,
      guessing: "settings",
      ini: {
        passwords: { max_concurrent_hashes: "1", max_queued_hashes: "0", hash_thread_nice: "17" },
        // One failure locks the account: a refused login that counted as a guess would show.
        login: { max_failures_per_account: "1", max_failures_per_source: "1" },
      },
    });
    await seedUsers(
      server.adminService,
      [1, 2, 3, 4].map((n) => ({ username: `user${n}`, password: `user${n}-password` })),
    );
  });
  afterAll(async () => {
    await server?.close();
    await database?.cleanup();
  });

  it("takes its limits from [passwords]", () => {
    expect(hashSlots.limits).toEqual({ maxConcurrent: 1, maxQueued: 0 });
  });

  it("answers 503 with Retry-After while the slot is taken and nothing may queue, and that is no guess", async () => {
    const release = occupyTheSlot();
    const refused = await login();
    await release();
    expect(refused.statusCode).toBe(503);
    expect(refused.headers["retry-after"]).toBe("1");
    expect(refused.json()).toMatchObject({ code: "BUSY" });
    expect(hashSlots.stats().refused).toBeGreaterThanOrEqual(1);

    // The guessing reservation was given back: with a bound of 1, a counted guess would now
    // refuse even the right password (429).
    const next = await login();
    expect(next.statusCode).toBe(201);
    expect(next.json().auth_token).toEqual(expect.any(String));
  });

  it("runs the hashes of concurrent logins one at a time with max_concurrent_hashes = 1", async () => {
    hashSlots.configure({ maxConcurrent: 1, maxQueued: 16 });
    // Four accounts from four addresses: the guessing bound of 1 counts logins in flight.
    const answers = await Promise.all([1, 2, 3, 4].map((n) => login(n)));
    expect(answers.map((answer) => answer.statusCode)).toEqual([201, 201, 201, 201]);
    expect(hashSlots.stats()).toMatchObject({ peakRunning: 1, refused: 0, running: 0, queued: 0 });
  });

  it("hashes on a thread below the event loop's priority, at [passwords] hash_thread_nice", async () => {
    const answer = await login(2);
    expect(answer.statusCode).toBe(201);
    expect(hashThreads.size).toBe(1);
    expect(niceOf(process.pid)).toBe(0);
    const threads = threadNiceValues();
    expect(threads).toContain(17);
  });
});

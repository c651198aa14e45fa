import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { niceOf, threadNiceValues } from "../../test/helpers/thread-priorities.js";
import { HashThreads } from "./hash-threads.js";

const PARAMS = { memoryCost: 7168, timeCost: 5, parallelism: 1 };

describe("password hash threads", () => {
  it("hash and verify argon2id off the event loop; a wrong password or a malformed hash is false", async () => {
    const threads = new HashThreads(10);
    const stored = await threads.hash("correct horse", PARAMS);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
    expect(await threads.verify(stored, "correct horse")).toBe(true);
    expect(await threads.verify(stored, "wrong horse")).toBe(false);
    expect(await threads.verify("$argon2id$garbage", "correct horse")).toBe(false);
    // One hash at a time here, so one thread did all of it.
    expect(threads.size).toBe(1);
  });

  it("run below the event loop at their nice value; a new value applies to the next threads", async () => {
    const before = threadNiceValues().filter((nice) => nice === 13).length;
    const threads = new HashThreads(13);
    const stored = await threads.hash("pw", PARAMS);
    // The event loop keeps its priority; the hash thread has the nice value it was given.
    expect(niceOf(process.pid)).toBe(0);
    expect(threadNiceValues().filter((nice) => nice === 13).length).toBe(before + 1);

    threads.configure({ nice: 7 });
    expect(threads.size).toBe(0); // the idle thread at 13 was let go
    expect(await threads.verify(stored, "pw")).toBe(true);
    expect(threadNiceValues()).toContain(7);
  });

  it("start one thread per hash running at once, and keep them for the next hashes", async () => {
    const threads = new HashThreads(10);
    const stored = await threads.hash("pw", PARAMS);
    const results = await Promise.all([1, 2, 3].map(() => threads.verify(stored, "pw")));
    expect(results).toEqual([true, true, true]);
    expect(threads.size).toBe(3);
    await threads.verify(stored, "pw");
    expect(threads.size).toBe(3);
  });

  it("keep a process alive while they hash, and let it exit once they are idle", async () => {
    // A process with nothing to wait for but a hash (an adminops command on SQLite): it must
    // print the hash, then exit by itself. The built module, as the commands run it.
    const built = fileURLToPath(new URL("../../dist/passwords/hash-threads.js", import.meta.url));
    const script = `
      import { hashThreads } from ${JSON.stringify(built)};
      hashThreads.hash("pw", { memoryCost: 7168, timeCost: 5, parallelism: 1 })
        .then((hash) => console.log(hash));`;
    const dir = await mkdtemp(join(tmpdir(), "tl-hash-threads-"));
    const file = join(dir, "hash-once.mjs");
    await writeFile(file, script);
    const { stdout } = await promisify(execFile)(process.execPath, [file], { timeout: 15_000 });
    await rm(dir, { recursive: true, force: true });
    expect(stdout).toMatch(/^\$argon2id\$v=19\$m=7168,t=5,p=1\$/);
  });
});

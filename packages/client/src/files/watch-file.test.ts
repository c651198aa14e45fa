import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FileWatcher, watchFile } from "./watch-file.js";

async function eventually(probe: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("watchFile", () => {
  let dir: string;
  let watcher: FileWatcher | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "tl-watch-"));
  });
  afterEach(() => {
    watcher?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("checks once after a burst of writes, also when an editor renames a new file over it", async () => {
    const file = join(dir, "users.yaml");
    writeFileSync(file, "a");
    let checks = 0;
    watcher = watchFile(file, { debounceMs: 50, onChange: () => void checks++ });
    writeFileSync(`${file}.tmp`, "b");
    renameSync(`${file}.tmp`, file);
    writeFileSync(file, "c");
    await eventually(() => checks === 1);
    await sleep(150);
    expect(checks).toBe(1);
  });

  it("never runs two checks at once; a check asked for during one runs once more after it", async () => {
    const file = join(dir, "acl.yml");
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    watcher = watchFile(file, {
      onChange: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(30);
        runs++;
        active--;
      },
    });
    await Promise.all([watcher.check(), watcher.check(), watcher.check()]);
    expect(maxActive).toBe(1);
    expect(runs).toBe(2);
  });

  it("reports a throwing check and keeps watching", async () => {
    const file = join(dir, "acl.yml");
    const errors: unknown[] = [];
    let calls = 0;
    watcher = watchFile(file, {
      debounceMs: 10,
      onChange: () => {
        calls++;
        if (calls === 1) throw new Error("parse failed");
      },
      onError: (error) => errors.push(error),
    });
    await watcher.check();
    expect(errors).toEqual([new Error("parse failed")]);
    writeFileSync(file, "x");
    await eventually(() => calls >= 2);
  });

  it("with a poll: checks without any event, and keeps checking after the folder vanished", async () => {
    const folder = join(dir, "conf");
    mkdirSync(folder);
    const file = join(folder, "users.yaml");
    const watchErrors: Error[] = [];
    let checks = 0;
    watcher = watchFile(file, {
      debounceMs: 10,
      pollIntervalMs: 40,
      onChange: () => void checks++,
      onWatchError: (error) => watchErrors.push(error),
    });
    await eventually(() => checks >= 2);

    rmSync(folder, { recursive: true });
    await sleep(100);
    const before = checks;
    await eventually(() => checks >= before + 2);
    // Reported at most once, not on every poll that fails to watch the missing folder.
    expect(watchErrors.length).toBeLessThanOrEqual(1);
  });
});

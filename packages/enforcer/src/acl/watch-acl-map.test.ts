import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseAclMap } from "./parse-acl-map.js";
import { type AclMapWatcher, watchAclMap } from "./watch-acl-map.js";

const TEXT = "- name: role1\n  allow: [rule1]\n";

async function eventually(probe: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("watchAclMap with the file gone", () => {
  const dir = mkdtempSync(join(tmpdir(), "tl-acl-watch-"));
  let watcher: AclMapWatcher | undefined;
  afterEach(() => {
    watcher?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("logs a missing file once, not on every change of its neighbours, and reloads when it returns", async () => {
    const file = join(dir, "role_to_acl_map.yml");
    writeFileSync(file, TEXT);
    const errors: string[] = [];
    const infos: string[] = [];
    watcher = watchAclMap(file, {
      initial: parseAclMap(TEXT),
      initialText: TEXT,
      debounceMs: 10,
      logger: {
        error: (_details, message) => errors.push(message),
        warn: () => {},
        info: (_details, message) => infos.push(message),
      },
    });

    rmSync(file);
    await eventually(() => errors.length === 1);
    // A log file beside the ACL keeps changing (before the fix, each event logged again).
    for (let i = 0; i < 5; i++) {
      writeFileSync(join(dir, "service.log"), `line ${i}\n`);
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("could not be read");
    expect(watcher.current().roles).toHaveLength(1);

    // The same text coming back is picked up again (and a later loss is reported again).
    writeFileSync(file, TEXT);
    await eventually(() => infos.length === 1);
    rmSync(file);
    await eventually(() => errors.length === 2);
  });
});

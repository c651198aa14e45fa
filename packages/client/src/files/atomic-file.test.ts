import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { writeFileAtomic } from "./atomic-file.js";

describe("writeFileAtomic", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "tl-atomic-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates the file (and missing folders) with mode 0600 by default, leaving no temp file", async () => {
    const file = join(dir, "a", "b", "secret");
    expect(await writeFileAtomic(file, "s3cret\n")).toBe(true);
    expect(await readFile(file, "utf8")).toBe("s3cret\n");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(dir, "a", "b"))).toEqual(["secret"]);
  });

  it("replaces content; keepExistingMode keeps an operator's chmod", async () => {
    const file = join(dir, "users.yaml");
    await writeFile(file, "old");
    await chmod(file, 0o640);
    await writeFileAtomic(file, "new", { keepExistingMode: true });
    expect(await readFile(file, "utf8")).toBe("new");
    expect((await stat(file)).mode & 0o777).toBe(0o640);
    await writeFileAtomic(file, "newer", { mode: 0o644 });
    expect((await stat(file)).mode & 0o777).toBe(0o644);
  });

  it("exclusive: an existing file wins and is left untouched", async () => {
    const file = join(dir, "first");
    expect(await writeFileAtomic(file, "one", { exclusive: true })).toBe(true);
    expect(await writeFileAtomic(file, "two", { exclusive: true })).toBe(false);
    expect(await readFile(file, "utf8")).toBe("one");
    expect(await readdir(dir)).toEqual(["first"]);
  });

  it("a failed move leaves the target as it was and no temp file behind", async () => {
    // The target is a folder: rename() fails after the temp file was written.
    const target = join(dir, "taken");
    await writeFile(join(dir, "keep"), "x");
    await mkdir(join(target, "inner"), { recursive: true });
    await expect(writeFileAtomic(target, "content")).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(["keep", "taken"]);
  });
});

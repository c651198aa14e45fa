import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KeyError, resolveKeyEncryptionKey } from "./index.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tl-kek-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("the key-encryption key", () => {
  it("is generated once in the data directory (0600) when none is configured", async () => {
    const first = await resolveKeyEncryptionKey({ file: null, envValue: undefined, dataDir: dir });
    const again = await resolveKeyEncryptionKey({ file: null, envValue: undefined, dataDir: dir });
    expect(first.generated).toBe(true);
    expect(again.generated).toBe(false);
    expect(again.key.equals(first.key)).toBe(true);
    expect(first.key).toHaveLength(32);
    expect((await stat(first.source)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(first.source, "utf8")).trim(), "base64")).toEqual(first.key);
  });

  it("comes from TOKENLEADER_KEY_ENCRYPTION_KEY before the file", async () => {
    const fromEnv = randomBytes(32);
    const file = join(dir, "kek");
    await writeFile(file, randomBytes(32).toString("base64"));
    const kek = await resolveKeyEncryptionKey({
      file,
      envValue: fromEnv.toString("base64"),
      dataDir: dir,
    });
    expect(kek.key.equals(fromEnv)).toBe(true);
    expect(kek.setting).toBe("TOKENLEADER_KEY_ENCRYPTION_KEY");
    const fromFile = await resolveKeyEncryptionKey({ file, envValue: undefined, dataDir: dir });
    expect(fromFile.setting).toBe("[token] key_encryption_key_file");
  });

  it.each([
    ["too short", randomBytes(16).toString("base64")],
    ["not base64", "this is not a key at all, not at all!!!!!!!"],
  ])(
    "refuses a key that is %s, naming where it came from and how to make one",
    async (_, value) => {
      const error = await resolveKeyEncryptionKey({
        file: null,
        envValue: value,
        dataDir: dir,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyError);
      expect((error as KeyError).message).toContain("TOKENLEADER_KEY_ENCRYPTION_KEY");
      expect((error as KeyError).message).toContain("openssl rand -base64 32");
    },
  );

  it("refuses a configured file that does not exist", async () => {
    const file = join(dir, "missing");
    const error = await resolveKeyEncryptionKey({ file, envValue: "", dataDir: dir }).catch(
      (e: unknown) => e,
    );
    expect((error as KeyError).message).toContain(
      `${file} ([token] key_encryption_key_file or TOKENLEADER_KEY_ENCRYPTION_KEY_FILE) does not exist`,
    );
  });
});

import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { LoginLogger } from "../logger.js";
import { hashPassword, saltedSha256Hex } from "./password-hashing.js";
import type { UsersFileChange } from "./users-file-change.js";
import { UsersFileStore } from "./users-file-store.js";

// Low argon2 cost keeps the suite fast; the code path is the real one.
const ARGON2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const SALT = "56babfc7-fc0f-490e-9501-5582369d7b7d";

interface LogLine {
  level: "info" | "warn" | "error";
  message: string;
}

function recordingLogger(lines: LogLine[]): LoginLogger {
  return {
    info: (_d, message) => lines.push({ level: "info", message }),
    warn: (_d, message) => lines.push({ level: "warn", message }),
    error: (_d, message) => lines.push({ level: "error", message }),
  };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let dir: string;
let file: string;
let logs: LogLine[];
let store: UsersFileStore | undefined;
let changes: UsersFileChange[];

const legacyEntry = (password: string, roles = "[Admin, default]") =>
  `  roles: ${roles}\n  salt: ${SALT}\n  password: ${saltedSha256Hex(password, SALT)}\n`;

async function openStore(text: string, extra: { pollIntervalMs?: number } = {}) {
  await fs.writeFile(file, text);
  store = await UsersFileStore.open({
    path: file,
    logger: recordingLogger(logs),
    argon2: ARGON2,
    debounceMs: 30,
    pollIntervalMs: extra.pollIntervalMs ?? 200,
    onChange: (change) => {
      changes.push(change);
    },
  });
  return store;
}

/** Writes like an editor that saves by rename (a new inode). */
async function replaceFile(text: string) {
  const temp = `${file}.new`;
  await fs.writeFile(temp, text);
  await fs.rename(temp, file);
}

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "tl-users-file-"));
  file = path.join(dir, "users.yaml");
  logs = [];
  changes = [];
});

afterEach(async () => {
  store?.close();
  store = undefined;
  await fs.rm(dir, { recursive: true, force: true });
});

describe("UsersFileStore loading and reload", () => {
  it("loads the original format and picks up a valid edit (roles change reported)", async () => {
    const s = await openStore(`test:\n${legacyEntry("test")}`);
    expect(s.get("test")?.roles).toEqual(["Admin", "default"]);

    await replaceFile(
      `test:\n${legacyEntry("test", "[default, reader]")}alice:\n${legacyEntry("pw", "[x]")}`,
    );
    await waitFor(() => s.get("alice") !== undefined, "the edit to be loaded");
    expect(s.get("test")?.roles).toEqual(["default", "reader"]);
    await waitFor(() => changes.length > 0, "the change listener");
    expect(changes[0]).toEqual({ removed: [], changed: ["test"], added: ["alice"] });
  });

  it("skips entries with a missing key or a wrong shape, counts them in the log, keeps the rest", async () => {
    const s = await openStore(
      `good:\n${legacyEntry("pw")}` +
        `nosalt:\n  roles: [a]\n  password: ${saltedSha256Hex("x", SALT)}\n` +
        `alist: [1, 2]\n` +
        `scalar: hello\n` +
        `numsalt:\n  roles: [a]\n  salt: 123\n  password: ${saltedSha256Hex("x", "123")}\n`,
    );
    expect(s.usernames()).toEqual(["good"]);
    expect(
      logs.some((l) => l.level === "warn" && l.message.includes("skipped 4 invalid entries")),
    ).toBe(true);
    expect(logs.some((l) => l.message.includes("'nosalt' skipped: missing key 'salt'"))).toBe(true);
    expect(
      logs.some((l) => l.message.includes("'numsalt' skipped: salt: salt must be a string")),
    ).toBe(true);
    expect(await s.authenticate("numsalt", "x")).toEqual({ ok: false, reason: "unknown-user" });
  });

  it("keeps the previous users on a YAML syntax error and logs an error", async () => {
    const s = await openStore(`test:\n${legacyEntry("test")}`);
    await fs.writeFile(file, "test:\n  roles: [Admin\n  password: [");
    const outcome = await s.reload();
    expect(outcome).toMatchObject({ status: "kept-previous", code: "USERS_FILE_SYNTAX" });
    expect(s.get("test")).toBeDefined();
    expect((await s.authenticate("test", "test")).ok).toBe(true);
    expect(logs.some((l) => l.level === "error" && l.message.includes("YAML syntax error"))).toBe(
      true,
    );
  });

  it("keeps the previous users on an empty file and answers at once (no hang)", async () => {
    const s = await openStore(`test:\n${legacyEntry("test")}`);
    await fs.writeFile(file, "");
    const outcome = await s.reload();
    expect(outcome).toMatchObject({ status: "kept-previous", code: "USERS_FILE_EMPTY" });
    const started = Date.now();
    expect((await s.authenticate("test", "test")).ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("keeps the previous users when the top level is not a mapping", async () => {
    const s = await openStore(`test:\n${legacyEntry("test")}`);
    await fs.writeFile(file, "- test\n- other\n");
    expect(await s.reload()).toMatchObject({
      status: "kept-previous",
      code: "USERS_FILE_NOT_MAPPING",
    });
    expect(s.usernames()).toEqual(["test"]);
  });

  it("keeps the previous users while the file is deleted and loads it again when it returns", async () => {
    const s = await openStore(`test:\n${legacyEntry("test")}`);
    await fs.rm(file);
    await waitFor(
      () => logs.some((l) => l.level === "error" && l.message.includes("is missing")),
      "the missing-file error",
    );
    expect(s.get("test")).toBeDefined();
    await fs.writeFile(file, `back:\n${legacyEntry("pw")}`);
    await waitFor(() => s.get("back") !== undefined, "the re-created file");
    expect(s.get("test")).toBeUndefined();
  });

  it("reports a removed user and a password change to the listener", async () => {
    const s = await openStore(
      `a:\n${legacyEntry("pa")}b:\n${legacyEntry("pb")}c:\n${legacyEntry("pc")}`,
    );
    await replaceFile(`a:\n${legacyEntry("pa")}c:\n${legacyEntry("new-password")}`);
    await waitFor(() => changes.length > 0, "the change listener");
    expect(changes[0]).toEqual({ removed: ["b"], changed: ["c"], added: [] });
    expect(await s.authenticate("b", "pb")).toEqual({ ok: false, reason: "unknown-user" });
  });

  it("refuses to start on a missing or unusable file unless told otherwise", async () => {
    await expect(UsersFileStore.open({ path: file, pollIntervalMs: 0 })).rejects.toMatchObject({
      code: "USERS_FILE_MISSING",
    });
    await fs.writeFile(file, "[");
    await expect(UsersFileStore.open({ path: file, pollIntervalMs: 0 })).rejects.toMatchObject({
      code: "USERS_FILE_UNPARSEABLE",
    });
    store = await UsersFileStore.open({
      path: file,
      pollIntervalMs: 0,
      requireValidAtStart: false,
    });
    expect(store.size).toBe(0);
  });
});

describe("UsersFileStore.authenticate", () => {
  it("accepts a legacy sha256 user and rewrites the entry as argon2id, keeping the rest", async () => {
    const original =
      "# the team's users\n" +
      `test:\n${legacyEntry("test")}  email: test@example.org\n  note: kept as is\n` +
      `other:\n${legacyEntry("other", "[default]")}` +
      "broken: not-a-user\n";
    const s = await openStore(original);
    await fs.chmod(file, 0o640);
    const before = parseYaml(original) as Record<string, unknown>;

    const result = await s.authenticate("test", "test");
    expect(result).toEqual({
      ok: true,
      user: {
        username: "test",
        roles: ["Admin", "default"],
        email: "test@example.org",
        source: "file",
      },
    });

    const text = await fs.readFile(file, "utf8");
    const after = parseYaml(text) as Record<string, Record<string, unknown>>;
    expect(String(after.test?.password)).toMatch(/^\$argon2id\$/);
    expect(after.test?.salt).toBeUndefined();
    expect(after.test?.note).toBe("kept as is");
    expect(after.other).toEqual(before.other);
    expect(after.broken).toBe("not-a-user");
    expect(text).toContain("# the team's users");
    expect((await fs.stat(file)).mode & 0o777).toBe(0o640);

    // The upgraded entry still logs in, with the same password only, and no session revocation.
    expect((await s.authenticate("test", "test")).ok).toBe(true);
    expect(await s.authenticate("test", "wrong")).toEqual({ ok: false, reason: "wrong-password" });
    await s.reload();
    expect(changes).toEqual([]);
  });

  it("keeps a legacy user working when the file is read-only and logs a warning", async () => {
    const s = await openStore(`test:\n${legacyEntry("test")}`);
    await fs.chmod(file, 0o444);
    expect((await s.authenticate("test", "test")).ok).toBe(true);
    expect(await fs.readFile(file, "utf8")).toContain(saltedSha256Hex("test", SALT));
    expect(logs.some((l) => l.level === "warn" && l.message.includes("read-only"))).toBe(true);
  });

  it("checks argon2id users and rejects wrong passwords", async () => {
    const phc = await hashPassword("s3cret!", ARGON2);
    const s = await openStore(`alice:\n  roles: [reader]\n  password: "${phc}"\n  wfc: wfc1\n`);
    expect(await s.authenticate("alice", "s3cret!")).toEqual({
      ok: true,
      user: { username: "alice", roles: ["reader"], wfc: "wfc1", source: "file" },
    });
    expect(await s.authenticate("alice", "s3cret")).toEqual({
      ok: false,
      reason: "wrong-password",
    });
  });

  it("spends an argon2 verification on unknown users too (no fast path revealing names)", async () => {
    // A high cost makes the argon2 step dominate: an unknown user must take as long as a real one.
    const slow = { memoryCost: 19456, timeCost: 3, parallelism: 1 };
    const phc = await hashPassword("pw", slow);
    await fs.writeFile(file, `alice:\n  roles: []\n  password: "${phc}"\n`);
    store = await UsersFileStore.open({ path: file, argon2: slow, pollIntervalMs: 0 });
    await store.authenticate("nobody", "pw"); // warms the dummy hash
    const time = async (name: string) => {
      const start = process.hrtime.bigint();
      await store!.authenticate(name, "wrong");
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    // Interleaved samples, compared by their fastest run: load on a busy machine only ever adds
    // time, so the minimum is the honest cost of each path.
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      known.push(await time("alice"));
      unknown.push(await time("nobody"));
    }
    expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...known) * 0.5);
  });
});

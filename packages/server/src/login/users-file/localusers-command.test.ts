import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PromptCancelledError } from "@tokenleader/client/terminal";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { addUser, changeRoles, listUsers, removeUser, setPassword } from "./localusers-command.js";
import { saltedSha256Hex } from "./password-hashing.js";
import type { LocalUsersIo } from "./terminal-io.js";
import { UsersFileStore } from "./users-file-store.js";

const ARGON2 = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const SALT = "56babfc7-fc0f-490e-9501-5582369d7b7d";
const SAMPLE =
  "# users of the demo\n" +
  `test:\n  password: ${saltedSha256Hex("test", SALT)}\n  roles:\n  - Admin\n  - default\n  salt: ${SALT}\n` +
  "half:\n  roles: [x]\n  custom: keep-me\n";

interface FakeIo extends LocalUsersIo {
  stdout: string[];
  stderr: string[];
  asked: string[];
}

function fakeIo(opts: { interactive?: boolean; answers?: string[]; stdin?: string } = {}): FakeIo {
  const answers = [...(opts.answers ?? [])];
  const io: FakeIo = {
    stdout: [],
    stderr: [],
    asked: [],
    interactive: opts.interactive ?? false,
    out: (t) => io.stdout.push(t),
    err: (t) => io.stderr.push(t),
    ask: async (q) => {
      io.asked.push(q);
      return answers.shift() ?? "";
    },
    askSecret: async (q) => {
      io.asked.push(q);
      return answers.shift() ?? "";
    },
    readStdin: async () => opts.stdin ?? "",
  };
  return io;
}

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "tl-localusers-"));
  file = path.join(dir, "users.yaml");
  await fs.writeFile(file, SAMPLE, { mode: 0o640 });
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

const readUsers = async () =>
  parseYaml(await fs.readFile(file, "utf8")) as Record<string, Record<string, unknown>>;

async function loginWorks(username: string, password: string): Promise<boolean> {
  const store = await UsersFileStore.open({
    path: file,
    argon2: ARGON2,
    pollIntervalMs: 0,
    upgradeLegacyHashes: false,
  });
  try {
    return (await store.authenticate(username, password)).ok;
  } finally {
    store.close();
  }
}

describe("localusers list", () => {
  it("prints users, roles, legacy hashes and the unusable entries", async () => {
    const io = fakeIo();
    expect(await listUsers({ file }, io)).toBe(0);
    const text = io.stdout.join("\n");
    expect(text).toContain(`1 user in ${file}:`);
    expect(text).toMatch(/test\s+roles: Admin, default\s+\(legacy sha256 hash: run set-password\)/);
    expect(text).toContain("half: missing key 'password'");
  });

  it("prints JSON with --json", async () => {
    const io = fakeIo();
    expect(await listUsers({ file, json: true }, io)).toBe(0);
    expect(JSON.parse(io.stdout.join(""))).toEqual({
      file,
      users: [{ username: "test", roles: ["Admin", "default"], hash: "sha256-legacy" }],
      invalid: [{ username: "half", reason: "missing key 'password'" }],
    });
  });

  it("fails on a missing file and refuses an unparseable one", async () => {
    const io = fakeIo();
    expect(await listUsers({ file: path.join(dir, "nope.yaml") }, io)).toBe(1);
    expect(io.stderr.join("")).toContain("does not exist");
    await fs.writeFile(file, "test: [unclosed\n");
    const io2 = fakeIo();
    expect(await listUsers({ file }, io2)).toBe(1);
    expect(io2.stderr.join("")).toContain("is not valid YAML");
  });
});

describe("localusers add", () => {
  it("adds a user from --password-stdin with a role list, keeps everything else, keeps the mode", async () => {
    const io = fakeIo({ stdin: "correct horse\n" });
    const code = await addUser(
      {
        file,
        username: "alice",
        roles: "reader, writer",
        passwordStdin: true,
        email: "a@x.org",
        argon2: ARGON2,
      },
      io,
    );
    expect(io.stderr).toEqual([]);
    expect(code).toBe(0);
    const users = await readUsers();
    expect(users.alice).toMatchObject({ roles: ["reader", "writer"], email: "a@x.org" });
    expect(String(users.alice?.password)).toMatch(/^\$argon2id\$/);
    expect(users.alice?.salt).toBeUndefined();
    expect(users.half).toEqual({ roles: ["x"], custom: "keep-me" });
    expect(users.test?.salt).toBe(SALT);
    expect(await fs.readFile(file, "utf8")).toContain("# users of the demo");
    expect((await fs.stat(file)).mode & 0o777).toBe(0o640);
    expect(await loginWorks("alice", "correct horse")).toBe(true);
  });

  it("asks on a terminal: username, roles, hidden password twice; --admin gives Admin,default", async () => {
    const io = fakeIo({ interactive: true, answers: ["bob", "hunter2hunter2", "hunter2hunter2"] });
    expect(await addUser({ file, admin: true, argon2: ARGON2 }, io)).toBe(0);
    expect(io.asked).toEqual([
      "New username: ",
      "New password for 'bob': ",
      "Repeat the password: ",
    ]);
    expect((await readUsers()).bob?.roles).toEqual(["Admin", "default"]);
    const io2 = fakeIo({ interactive: true, answers: ["carol", "", "pw-pw-pw-pw", "pw-pw-pw-pw"] });
    expect(await addUser({ file, argon2: ARGON2 }, io2)).toBe(0);
    expect(io2.asked[1]).toBe("Roles, comma-separated [default]: ");
    expect((await readUsers()).carol?.roles).toEqual(["default"]);
  });

  it("refuses 7 characters and takes 8 by default; honours [passwords] min_length", async () => {
    const seven = fakeIo({ stdin: "7-chars\n" });
    expect(
      await addUser({ file, username: "min7", passwordStdin: true, argon2: ARGON2 }, seven),
    ).toBe(1);
    expect(seven.stderr.join("")).toContain("the password is too short: use at least 8 characters");
    const eight = fakeIo({ stdin: "8-chars!\n" });
    expect(
      await addUser({ file, username: "min8", passwordStdin: true, argon2: ARGON2 }, eight),
    ).toBe(0);
    const strict = fakeIo({ stdin: "8-chars?\n" });
    const args = { file, username: "min8", passwordStdin: true, argon2: ARGON2 };
    expect(await setPassword({ ...args, passwordMinLength: 12 }, strict)).toBe(1);
    expect(strict.stderr.join("")).toContain("at least 12 characters");
  });

  it("fails without writing when the user exists, passwords differ, are short, or no terminal", async () => {
    const before = await fs.readFile(file, "utf8");
    const exists = fakeIo({ stdin: "long-enough\n" });
    expect(
      await addUser({ file, username: "test", passwordStdin: true, argon2: ARGON2 }, exists),
    ).toBe(1);
    expect(exists.stderr.join("")).toContain("user 'test' already exists");
    const mismatch = fakeIo({ interactive: true, answers: ["long-enough", "long-enougH"] });
    expect(await addUser({ file, username: "dave", roles: "", argon2: ARGON2 }, mismatch)).toBe(1);
    expect(mismatch.stderr.join("")).toContain("do not match");
    const short = fakeIo({ stdin: "short\n" });
    expect(
      await addUser({ file, username: "dave", passwordStdin: true, argon2: ARGON2 }, short),
    ).toBe(1);
    expect(short.stderr.join("")).toContain("at least 8 characters");
    const noTty = fakeIo();
    expect(await addUser({ file, username: "dave", argon2: ARGON2 }, noTty)).toBe(1);
    expect(noTty.stderr.join("")).toContain("--password-stdin");
    const badName = fakeIo({ stdin: "long-enough\n" });
    expect(
      await addUser({ file, username: "bad name", passwordStdin: true, argon2: ARGON2 }, badName),
    ).toBe(1);
    expect(await fs.readFile(file, "utf8")).toBe(before);
  });

  it("creates a missing file with mode 0600", async () => {
    const fresh = path.join(dir, "new-users.yaml");
    const io = fakeIo({ stdin: "long-enough" });
    expect(
      await addUser(
        { file: fresh, username: "eve", roles: "default", passwordStdin: true, argon2: ARGON2 },
        io,
      ),
    ).toBe(0);
    expect((await fs.stat(fresh)).mode & 0o777).toBe(0o600);
    expect(io.stdout.join("")).toContain(`created ${fresh}`);
  });

  it("refuses a file that does not parse or is not a mapping, leaving it untouched", async () => {
    for (const text of ["a: [\n", "- a\n- b\n"]) {
      await fs.writeFile(file, text);
      const io = fakeIo({ stdin: "long-enough\n" });
      expect(await addUser({ file, username: "x", passwordStdin: true, argon2: ARGON2 }, io)).toBe(
        1,
      );
      expect(io.stderr.join("")).toMatch(/not valid YAML|must be a mapping/);
      expect(await fs.readFile(file, "utf8")).toBe(text);
    }
  });

  it("fails when the file is read-only", async () => {
    await fs.chmod(file, 0o444);
    const io = fakeIo({ stdin: "long-enough\n" });
    expect(await addUser({ file, username: "x", passwordStdin: true, argon2: ARGON2 }, io)).toBe(1);
    expect(io.stderr.join("")).toContain("read-only");
  });
});

describe("localusers remove, change-roles, set-password", () => {
  it("removes a user and reports a missing one", async () => {
    const io = fakeIo();
    expect(await removeUser({ file, username: "test" }, io)).toBe(0);
    expect((await readUsers()).test).toBeUndefined();
    expect((await readUsers()).half).toEqual({ roles: ["x"], custom: "keep-me" });
    const io2 = fakeIo();
    expect(await removeUser({ file, username: "test" }, io2)).toBe(1);
    expect(io2.stderr.join("")).toContain("user 'test' is not in");
  });

  it("sets any role list, an empty one, or the admin pair", async () => {
    expect(await changeRoles({ file, username: "test", roles: "ops,auditor,ops" }, fakeIo())).toBe(
      0,
    );
    expect((await readUsers()).test?.roles).toEqual(["ops", "auditor"]);
    expect(await changeRoles({ file, username: "test", roles: "" }, fakeIo())).toBe(0);
    expect((await readUsers()).test?.roles).toEqual([]);
    expect(await changeRoles({ file, username: "test", admin: true }, fakeIo())).toBe(0);
    expect((await readUsers()).test?.roles).toEqual(["Admin", "default"]);
    expect((await readUsers()).test?.salt).toBe(SALT);
    const missing = fakeIo();
    expect(await changeRoles({ file, username: "nobody", roles: "a" }, missing)).toBe(1);
    expect(missing.stderr.join("")).toContain("'nobody' is not in");
    const both = fakeIo();
    expect(await changeRoles({ file, username: "test", roles: "a", admin: true }, both)).toBe(1);
  });

  it("sets a password (upgrading a legacy entry) and repairs an entry missing its password", async () => {
    const io = fakeIo({ stdin: "brand-new-pw\n" });
    expect(
      await setPassword({ file, username: "test", passwordStdin: true, argon2: ARGON2 }, io),
    ).toBe(0);
    const users = await readUsers();
    expect(String(users.test?.password)).toMatch(/^\$argon2id\$/);
    expect(users.test?.salt).toBeUndefined();
    expect(await loginWorks("test", "brand-new-pw")).toBe(true);
    expect(await loginWorks("test", "test")).toBe(false);

    const repair = fakeIo({ stdin: "another-pw\n" });
    expect(
      await setPassword({ file, username: "half", passwordStdin: true, argon2: ARGON2 }, repair),
    ).toBe(0);
    expect((await readUsers()).half?.custom).toBe("keep-me");
    expect(await loginWorks("half", "another-pw")).toBe(true);

    const missing = fakeIo({ stdin: "another-pw\n" });
    expect(
      await setPassword({ file, username: "ghost", passwordStdin: true, argon2: ARGON2 }, missing),
    ).toBe(1);
  });
});

describe("localusers at a cancelled prompt", () => {
  it("Ctrl-C / Ctrl-D at the password prompt: says so, exits 1, leaves the file as it was", async () => {
    const before = await fs.readFile(file, "utf8");
    const io = fakeIo({ interactive: true });
    io.askSecret = async () => {
      throw new PromptCancelledError();
    };
    expect(await setPassword({ file, username: "test", argon2: ARGON2 }, io)).toBe(1);
    expect(io.stderr).toEqual(["cancelled; nothing was changed"]);
    expect(await fs.readFile(file, "utf8")).toBe(before);
  });
});

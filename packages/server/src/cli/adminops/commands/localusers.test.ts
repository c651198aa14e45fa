import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createCapturedIo } from "@tokenleader/client/terminal";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runAdminops } from "../run-adminops.js";

// `adminops localusers …` mounts the users.yaml tool; these runs go through adminops' own
// argument parsing and io, as a user typing the command would.
describe("adminops localusers", () => {
  let dir: string;
  let file: string;
  // No settings file: built-in defaults, the users file named with --file.
  const env = {};
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "tl-localusers-"));
    file = path.join(dir, "users.yaml");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function run(
    args: string[],
    options: { stdin?: string; tty?: boolean; answers?: string[] } = {},
  ) {
    const io = createCapturedIo(options);
    const status = await runAdminops(args, io, { env, cwd: dir });
    return { status, stdout: io.stdout, stderr: io.stderr };
  }

  it("adds a user with any role list, lists it, changes roles and removes it", async () => {
    const added = await run(
      ["localusers", "add", "alice", "-f", file, "--roles", "reader,writer", "--password-stdin"],
      { stdin: "correct horse battery\n" },
    );
    expect(added.status).toBe(0);
    const stored = parse(await readFile(file, "utf8"));
    expect(stored.alice.roles).toEqual(["reader", "writer"]);
    expect(stored.alice.password).toMatch(/^\$argon2id\$/);

    const listed = await run(["--json", "localusers", "list", "-f", file]);
    expect(listed.status).toBe(0);
    expect(JSON.parse(listed.stdout).users).toEqual([
      expect.objectContaining({ username: "alice", roles: ["reader", "writer"] }),
    ]);

    expect((await run(["localusers", "change-roles", "alice", "-f", file, "--admin"])).status).toBe(
      0,
    );
    expect(parse(await readFile(file, "utf8")).alice.roles).toEqual(["Admin", "default"]);

    expect((await run(["localusers", "remove", "alice", "-f", file])).status).toBe(0);
    expect(parse(await readFile(file, "utf8")) ?? {}).toEqual({});
  });

  it("on a terminal asks for the password twice (hidden) and refuses a mismatch", async () => {
    const mismatch = await run(["localusers", "add", "bob", "-f", file, "--roles", "default"], {
      tty: true,
      answers: ["first-password", "other-password"],
    });
    expect(mismatch.status).not.toBe(0);
    expect(mismatch.stderr).toMatch(/match/);
    const ok = await run(["localusers", "add", "bob", "-f", file, "--roles", "default"], {
      tty: true,
      answers: ["first-password", "first-password"],
    });
    expect(ok.status).toBe(0);
    expect(parse(await readFile(file, "utf8")).bob.password).toMatch(/^\$argon2id\$/);
  });

  it("fails with a message naming the user when it is not in the file", async () => {
    await writeFile(file, "bob:\n  roles: [default]\n  password: x\n  salt: y\n");
    const result = await run(["localusers", "remove", "alice", "-f", file]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("alice");
    expect(await readFile(file, "utf8")).toContain("bob:");
  });

  it("refuses to run without a users file and rejects unknown actions", async () => {
    const noFile = await run(["localusers", "list"]);
    expect(noFile.status).toBe(2);
    expect(noFile.stderr).toContain("--file");
    const unknown = await run(["localusers", "frobnicate", "-f", file]);
    expect(unknown.status).toBe(2);
  });
});

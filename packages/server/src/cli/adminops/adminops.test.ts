// adminops commands run in-process with a captured terminal, against real SQLite and PostgreSQL.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCapturedIo } from "@tokenleader/client/terminal";
import { afterAll, expect, it } from "vitest";
import { describeEachProvider } from "../../../test/helpers/test-databases.js";
import { verifyPassword } from "../../passwords/verify-password.js";
import type { AdminopsCommand } from "./command-module.js";
import { adminopsCommands } from "./commands.js";
import { runAdminops } from "./run-adminops.js";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tl-adminops-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

// A settings file with cheap argon2 parameters keeps the suite fast; defaults are tested elsewhere.
const settingsFile = path.join(scratch, "tokenleader_settings.ini");
fs.writeFileSync(settingsFile, "[passwords]\n\tmemory_cost = 7168\n\ttime_cost = 5\n");

const WERKZEUG_USER1 =
  "pbkdf2:sha256:50000$abcdEFGH$69aaa968e7df7832f5ddd55d5e7617c42392b08314eeb3ebc99ed538074977fb";

describeEachProvider("adminops", (ctx) => {
  let seq = 0;
  const unique = (prefix: string) => `${prefix}${++seq}`;

  async function adminops(
    args: string[],
    options: { stdin?: string; tty?: boolean; answers?: string[]; db?: string } = {},
  ) {
    const io = createCapturedIo(options);
    const code = await runAdminops(
      [...args, "--db", options.db ?? ctx.url, "--config", settingsFile],
      io,
      { env: {}, cwd: scratch },
    );
    return { code, stdout: io.stdout, stderr: io.stderr, questions: io.questions };
  }

  async function seedWfc() {
    const names = {
      org: unique("org"),
      ou: unique("ou"),
      dept: unique("dept"),
      wfc: unique("wfc"),
    };
    expect((await adminops(["add", "org", "-n", names.org])).code).toBe(0);
    expect((await adminops(["add", "ou", "-n", names.ou])).code).toBe(0);
    expect((await adminops(["add", "dept", "-n", names.dept])).code).toBe(0);
    const wfc = await adminops([
      "addwfc",
      "-n",
      names.wfc,
      "--wfcorg",
      names.org,
      "--wfcou",
      names.ou,
      "--wfcdept",
      names.dept,
    ]);
    expect(wfc).toMatchObject({ code: 0, stdout: `${names.wfc} has been registered.\n` });
    return names;
  }

  it("initdb applies the migrations once, then reports the database up to date", async () => {
    const created = await ctx.createDatabase({ migrate: false });
    // initdb on SQLite needs the file to itself: this test lets go of it first.
    await created.db.close();
    const { url } = created;
    const before = await adminops(["list", "org"], { db: url });
    expect(before.code).toBe(1);
    expect(before.stderr).toMatch(
      /adminops: error: database at .* is not initialised: run adminops initdb\n/,
    );
    expect(before.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const first = await adminops(["initdb"], { db: url });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/: applied \d+ migrations?\n {2}\d+_init\n( {2}\d+_\w+\n)*$/);
    const second = await adminops(["initdb", "--json"], { db: url });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({
      applied: [],
      pending: [],
      provider: ctx.provider,
    });
    expect((await adminops(["list", "org"], { db: url })).stdout).toBe(
      "no organizations registered\n",
    );
  });

  it("runs the canonical bootstrap sequence and lists user1 with role1 and wfc1", async () => {
    const created = await ctx.createDatabase({ migrate: false });
    // initdb on SQLite needs the file to itself: this test lets go of it first.
    await created.db.close();
    const { url } = created;
    const steps = [
      ["initdb"],
      ["add", "org", "-n", "org1"],
      ["add", "ou", "-n", "ou1"],
      ["add", "dept", "-n", "dept1"],
      ["addwfc", "-n", "wfc1", "--wfcorg", "org1", "--wfcou", "ou1", "--wfcdept", "dept1"],
      ["list", "wfc", "-n", "wfc1"],
      ["add", "role", "-n", "role1"],
      [
        "adduser",
        "-n",
        "user1",
        "--password",
        "user1-password",
        "--emailid",
        "user1",
        "--rolenames",
        "role1",
        "--wfc",
        "wfc1",
      ],
      [
        "addservice",
        "-n",
        "tokenleader",
        "--password",
        "tokenleader",
        "--urlint",
        "localhost:5001",
      ],
    ];
    for (const step of steps) {
      const result = await adminops(step, { db: url });
      expect(result.code, `${step.join(" ")}: ${result.stderr}`).toBe(0);
    }
    const users = await adminops(["list", "user", "-n", "all", "--json"], { db: url });
    expect(JSON.parse(users.stdout)).toEqual([
      {
        id: 1,
        username: "user1",
        email: "user1",
        roles: ["role1"],
        wfc: { id: 1, name: "wfc1", org: "org1", orgunit: "ou1", department: "dept1" },
      },
    ]);
    const table = await adminops(["list", "user"], { db: url });
    expect(table.stdout).toBe(
      "ID  USERNAME  EMAIL  ROLES  WFC\n--  --------  -----  -----  ----\n1   user1     user1  role1  wfc1\n",
    );
    const services = await adminops(["listservice", "--json"], { db: url });
    expect(JSON.parse(services.stdout)).toEqual([
      {
        id: 1,
        name: "tokenleader",
        endpoint_url_internal: "localhost:5001",
        endpoint_url_external: null,
        endpoint_url_admin: null,
      },
    ]);
  });

  it("add: registers each kind, prints the original message, refuses duplicates and bad names", async () => {
    for (const entity of ["org", "ou", "dept", "role"]) {
      const name = unique(entity);
      expect(await adminops(["add", entity, "-n", name])).toMatchObject({
        code: 0,
        stdout: `${name} has been registered.\n`,
      });
      const again = await adminops(["add", entity, "-n", name]);
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(new RegExp(`error: .* "${name}" already exists\\n$`));
    }
    const org = unique("org");
    const json = await adminops(["add", "org", "-n", org, "--orgtype", "external", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: org, orgtype: "external" });
    expect((await adminops(["add", "org", "-n", "  "])).stderr).toMatch(/name must not be empty/);
    expect((await adminops(["add", "role", "-n", "r".repeat(65)])).stderr).toMatch(
      /at most 64 characters/,
    );
    expect((await adminops(["add", "ou", "-n", "a\u0007b"])).code).toBe(1);
    const usage = await adminops(["add", "team", "-n", "x"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/adminops: error: Invalid values:/);
    expect((await adminops(["add", "org"])).stderr).toMatch(/Missing required argument: n/);
  });

  it("addwfc: names the missing org/ou/dept and saves nothing", async () => {
    const org = unique("org");
    await adminops(["add", "org", "-n", org]);
    const wfc = unique("wfc");
    const result = await adminops([
      "addwfc",
      "-n",
      wfc,
      "--wfcorg",
      org,
      "--wfcou",
      "nope",
      "--wfcdept",
      "nada",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /org unit "nope", department "nada" do not exist; create them first/,
    );
    const listed = await adminops(["list", "wfc", "-n", wfc]);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toMatch(new RegExp(`wfc "${wfc}" not found`));
  });

  it("adduser: --password-stdin, unknown roles/wfc, duplicates, missing password without a terminal", async () => {
    const { wfc } = await seedWfc();
    const [r1, r2] = [unique("role"), unique("role")];
    await adminops(["add", "role", "-n", r1]);
    await adminops(["add", "role", "-n", r2]);

    const name = unique("user");
    const created = await adminops(
      [
        "adduser",
        "-n",
        name,
        "--password-stdin",
        "--rolenames",
        `${r1}, ${r2}`,
        "--wfc",
        wfc,
        "--json",
      ],
      { stdin: "from-stdin\nignored second line\n" },
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      username: name,
      email: null,
      roles: [r1, r2],
    });
    const row = await ctx.db.prisma.user.findUnique({ where: { username: name } });
    expect((await verifyPassword("from-stdin", row!.passwordHash)).ok).toBe(true);

    const unknown = await adminops([
      "adduser",
      "-n",
      unique("user"),
      "--password",
      "password",
      "--rolenames",
      `${r1},ghost`,
      "--wfc",
      wfc,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/role "ghost" does not exist; create it first/);
    const noWfc = await adminops([
      "adduser",
      "-n",
      unique("user"),
      "--password",
      "password",
      "--wfc",
      "nowfc",
    ]);
    expect(noWfc.stderr).toMatch(/wfc "nowfc" does not exist/);
    const dup = await adminops(["adduser", "-n", name, "--password", "password", "--wfc", wfc]);
    expect(dup.stderr).toMatch(new RegExp(`user "${name}" already exists`));

    const noPassword = await adminops(["adduser", "-n", unique("user"), "--wfc", wfc]);
    expect(noPassword.code).toBe(2);
    expect(noPassword.stderr).toMatch(/no password given .*--password-stdin/);
    const emptyStdin = await adminops(
      ["adduser", "-n", unique("user"), "--password-stdin", "--wfc", wfc],
      { stdin: "" },
    );
    expect(emptyStdin.code).toBe(2);
    expect(emptyStdin.stderr).toMatch(/standard input holds no password/);
  });

  it("adduser and passwd: a password of 7 characters is refused naming the minimum, 8 are accepted", async () => {
    const { wfc } = await seedWfc();
    const name = unique("user");
    const short = await adminops(["adduser", "-n", name, "--password-stdin", "--wfc", wfc], {
      stdin: "7-chars\n",
    });
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/password is too short: use at least 8 characters/);
    expect((await adminops(["list", "user", "-n", name])).code).toBe(1);
    const ok = await adminops(["adduser", "-n", name, "--password-stdin", "--wfc", wfc], {
      stdin: "8-chars!\n",
    });
    expect(ok.code).toBe(0);
    const passwd = await adminops(["passwd", "-n", name, "--password-stdin"], {
      stdin: "7-chars\n",
    });
    expect(passwd.code).toBe(1);
    expect(passwd.stderr).toMatch(/password is too short: use at least 8 characters/);
    expect(
      (await adminops(["passwd", "-n", name, "--password-stdin"], { stdin: "8-chars?\n" })).code,
    ).toBe(0);
  });

  it("adduser: prompts twice without echo on a terminal and refuses differing answers", async () => {
    const { wfc } = await seedWfc();
    const name = unique("user");
    const ok = await adminops(["adduser", "-n", name, "--wfc", wfc], {
      tty: true,
      answers: ["password1", "password1"],
    });
    expect(ok.code).toBe(0);
    expect(ok.questions).toEqual([`Password for user "${name}": `, "Repeat the password: "]);
    expect(ok.stdout + ok.stderr).not.toContain("password1");
    const other = unique("user");
    const differ = await adminops(["adduser", "-n", other, "--wfc", wfc], {
      tty: true,
      answers: ["a", "b"],
    });
    expect(differ.code).toBe(2);
    expect(differ.stderr).toMatch(/the two passwords differ; nothing was saved/);
    expect((await adminops(["list", "user", "-n", other])).code).toBe(1);
  });

  it("list: all records (not only the last), one by name, not found", async () => {
    const { url } = await ctx.createDatabase();
    for (const name of ["d1", "d2", "d3"]) await adminops(["add", "dept", "-n", name], { db: url });
    const all = await adminops(["list", "dept", "--json"], { db: url });
    expect(JSON.parse(all.stdout).map((d: { name: string }) => d.name)).toEqual(["d1", "d2", "d3"]);
    const explicitAll = await adminops(["list", "dept", "-n", "all"], { db: url });
    expect(explicitAll.stdout).toBe("ID  NAME\n--  ----\n1   d1\n2   d2\n3   d3\n");
    const one = await adminops(["list", "dept", "-n", "d2", "--json"], { db: url });
    expect(JSON.parse(one.stdout)).toEqual({ id: 2, name: "d2" });
    const missing = await adminops(["list", "role", "-n", "nope", "--json"], { db: url });
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      error: { code: "NOT_FOUND", message: 'role "nope" not found' },
    });
    expect((await adminops(["list", "user"], { db: url })).stdout).toBe("no users registered\n");
  });

  it("delete: asks on a terminal, refuses without one, --yes skips the question", async () => {
    const role = unique("role");
    await adminops(["add", "role", "-n", role]);
    const refused = await adminops(["delete", "role", "-n", role]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /confirmation needed but standard input is not a terminal; pass --yes/,
    );
    const declined = await adminops(["delete", "role", "-n", role], { tty: true, answers: ["no"] });
    expect(declined).toMatchObject({
      code: 1,
      stderr: expect.stringContaining("Aborting deletion"),
    });
    expect(declined.questions).toEqual([`Delete role "${role}"? Type 'yes' to confirm: `]);
    expect((await adminops(["list", "role", "-n", role])).code).toBe(0);
    const confirmed = await adminops(["delete", "role", "-n", role], {
      tty: true,
      answers: ["yes"],
    });
    expect(confirmed).toMatchObject({ code: 0, stdout: `role "${role}" deleted\n` });
    expect((await adminops(["list", "role", "-n", role])).code).toBe(1);

    const org = unique("org");
    await adminops(["add", "org", "-n", org]);
    expect(await adminops(["delete", "org", "-n", org, "--yes"])).toMatchObject({ code: 0 });
    const gone = await adminops(["delete", "org", "-n", org, "--yes"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(new RegExp(`organization "${org}" not found`));
  });

  it("delete: refuses what is still referenced, naming the users of it", async () => {
    const { org, ou, dept, wfc } = await seedWfc();
    const user = unique("user");
    await adminops(["adduser", "-n", user, "--password", "password", "--wfc", wfc]);
    const wfcRefused = await adminops(["delete", "wfc", "-n", wfc, "--yes"]);
    expect(wfcRefused.code).toBe(1);
    expect(wfcRefused.stderr).toMatch(new RegExp(`wfc "${wfc}" is still used by user "${user}"`));
    for (const [entity, name] of [
      ["org", org],
      ["ou", ou],
      ["dept", dept],
    ]) {
      const refused = await adminops(["delete", entity!, "-n", name!, "--yes"]);
      expect(refused.stderr).toMatch(new RegExp(`is still used by wfc "${wfc}"`));
    }
    expect(await adminops(["delete", "user", "-n", user, "-y"])).toMatchObject({ code: 0 });
    expect(await adminops(["delete", "wfc", "-n", wfc, "-y"])).toMatchObject({ code: 0 });
    expect(await adminops(["delete", "org", "-n", org, "-y"])).toMatchObject({ code: 0 });
  });

  it("addservice / listservice / deleteservice (and the deletservice alias)", async () => {
    const [s1, s2] = [unique("svc"), unique("svc")];
    expect(
      await adminops([
        "addservice",
        "-n",
        s1,
        "--urlint",
        "http://a:1",
        "--urlext",
        "https://a",
        "--urladmin",
        "http://adm",
      ]),
    ).toMatchObject({ code: 0, stdout: `${s1} has been registered.\n` });
    await adminops(["addservice", "-n", s2, "--urlint", "http://a:1"]); // URLs need not be unique
    const one = await adminops(["listservice", "-n", s1, "--json"]);
    expect(JSON.parse(one.stdout)).toMatchObject({
      name: s1,
      endpoint_url_external: "https://a",
      endpoint_url_admin: "http://adm",
    });
    expect((await adminops(["addservice", "-n", s1, "--urlint", "x"])).stderr).toMatch(
      /already exists/,
    );
    expect((await adminops(["addservice", "-n", unique("svc")])).code).toBe(2);
    expect(await adminops(["deleteservice", "-n", s1, "--yes"])).toMatchObject({ code: 0 });
    expect(await adminops(["deletservice", "-n", s2, "--yes"])).toMatchObject({ code: 0 });
    const gone = await adminops(["listservice", "-n", s2]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/service ".*" not found/);
  });

  it("reports bad settings with exit status 2, one line per problem", async () => {
    const bad = path.join(scratch, `bad-${ctx.provider}.ini`);
    fs.writeFileSync(bad, "[flask_default]\n\thost_port = abc\n[token]\n\talgorithm = none\n");
    const io = createCapturedIo();
    const code = await runAdminops(["list", "org", "--config", bad], io, { env: {}, cwd: scratch });
    expect(code).toBe(2);
    expect(io.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(
        /^adminops: settings: .*:2 \[flask_default\] host_port: "abc" is not a number/,
      ),
      expect.stringMatching(
        /^adminops: settings: .*:4 \[token\] algorithm: "none" is not a supported/,
      ),
    ]);
  });
});

it("prints help, refuses unknown commands, and accepts extra command modules", async () => {
  const help = createCapturedIo();
  expect(await runAdminops(["--help"], help, { env: {} })).toBe(0);
  expect(help.stdout).toMatch(/adminops initdb/);
  expect(help.stdout).toMatch(/\[aliases: deletservice\]/);
  const sub = createCapturedIo();
  expect(await runAdminops(["adduser", "--help"], sub, { env: {} })).toBe(0);
  expect(sub.stdout).toMatch(/--password-stdin/);

  const unknown = createCapturedIo();
  expect(await runAdminops(["frobnicate"], unknown, { env: {} })).toBe(2);
  expect(unknown.stderr).toMatch(/adminops: error: Unknown argument: frobnicate\n$/);
  const none = createCapturedIo();
  expect(await runAdminops([], none, { env: {} })).toBe(2);
  expect(none.stderr).toMatch(/name a command/);

  const hello: AdminopsCommand = {
    command: "hello",
    describe: "says hello",
    run: async (_argv, ctx) => {
      ctx.print(() => "hello\n", { hello: true });
      return 0;
    },
  };
  const extra = createCapturedIo();
  expect(
    await runAdminops(["hello", "--json"], extra, { commands: [...adminopsCommands, hello] }),
  ).toBe(0);
  expect(JSON.parse(extra.stdout)).toEqual({ hello: true });
});

it("list on an SQLite file that does not exist says not initialised and creates no file", async () => {
  const dataDir = path.join(scratch, "never-initialised");
  const file = path.join(dataDir, "tokenleader.db");
  for (const args of [
    ["list", "org"],
    ["list", "user", "-n", "all"],
    ["add", "role", "-n", "r"],
  ]) {
    const io = createCapturedIo();
    const code = await runAdminops(
      [...args, "--db", `file:${file}`, "--config", settingsFile],
      io,
      {
        env: {},
        cwd: scratch,
      },
    );
    expect(code, args.join(" ")).toBe(1);
    // (Preceded by a warning that the file is under /tmp.)
    expect(io.stderr).toContain(
      `\nadminops: error: database at file:${file} is not initialised: run adminops initdb\n`,
    );
    expect(fs.existsSync(file), args.join(" ")).toBe(false);
  }
  expect(fs.existsSync(dataDir)).toBe(false);

  // initdb is the command that creates it.
  const init = createCapturedIo();
  expect(
    await runAdminops(["initdb", "--db", `file:${file}`, "--config", settingsFile], init, {
      env: {},
      cwd: scratch,
    }),
    init.stderr,
  ).toBe(0);
  expect(fs.existsSync(file)).toBe(true);
});

describeEachProvider("adminops authentication of imported users", (ctx) => {
  it("upgrades a Werkzeug pbkdf2 hash to argon2id at the first successful login", async () => {
    const io = createCapturedIo();
    const run = (args: string[]) =>
      runAdminops([...args, "--db", ctx.url, "--config", settingsFile], io, {
        env: {},
        cwd: scratch,
      });
    for (const args of [
      ["add", "org", "-n", "o"],
      ["add", "ou", "-n", "u"],
      ["add", "dept", "-n", "d"],
      ["addwfc", "-n", "w", "--wfcorg", "o", "--wfcou", "u", "--wfcdept", "d"],
      ["adduser", "-n", "legacy", "--password", "placeholder", "--wfc", "w"],
    ]) {
      expect(await run(args), io.stderr).toBe(0);
    }
    await ctx.db.prisma.user.update({
      where: { username: "legacy" },
      data: { passwordHash: WERKZEUG_USER1 },
    });
    const { createAdminService } = await import("../../services/admin-service.js");
    const service = createAdminService(ctx.db, {
      passwords: { memoryCost: 7168, timeCost: 5, parallelism: 1, minLength: 8 },
    });
    expect(await service.authenticate("legacy", "user1")).toMatchObject({
      ok: true,
      rehashed: true,
    });
    const row = await ctx.db.prisma.user.findUnique({ where: { username: "legacy" } });
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await service.authenticate("legacy", "user1")).toMatchObject({
      ok: true,
      rehashed: false,
    });
  });
});

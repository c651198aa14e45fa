// The compiled adminops CLI as a real process (built by `pnpm build` / `pnpm exec tsc -b
// packages/server`; the root `pnpm test` builds first).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CTRL_D, type PtyStep, runInPty } from "../../../../client/test/run-in-pty.js";
import { describeEachProvider } from "../../../test/helpers/test-databases.js";

const mainJs = path.resolve(import.meta.dirname, "../../../dist/cli/adminops/main.js");
const launcher = path.resolve(import.meta.dirname, "../../../bin/adminops.js");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tl-adminops-proc-"));
const settingsFile = path.join(scratch, "tokenleader_settings.ini");
fs.writeFileSync(settingsFile, "[passwords]\n\tmemory_cost = 7168\n\ttime_cost = 5\n");
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

beforeAll(() => {
  if (!fs.existsSync(mainJs)) {
    throw new Error(`${mainJs} is missing: build first with pnpm exec tsc -b packages/server`);
  }
});

function adminops(
  args: string[],
  options: { stdin?: string; db?: string; bin?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const withGlobals = options.db ? [...args, "--db", options.db, "--config", settingsFile] : args;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? mainJs, ...withGlobals], {
      cwd: scratch,
      env: { PATH: process.env.PATH, HOME: scratch },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

describeEachProvider("adminops process", (ctx) => {
  // Thirteen process starts: allow for a machine busy with other work.
  it("bootstraps as in the original README and lists user1 with role1 and wfc1", {
    timeout: 120_000,
  }, async () => {
    const created = await ctx.createDatabase({ migrate: false });
    // initdb on SQLite needs the file to itself: this process lets go of it first.
    await created.db.close();
    const { url } = created;
    const notReady = await adminops(["list", "user"], { db: url });
    expect(notReady.code).toBe(1);
    expect(notReady.stderr).toMatch(
      /^adminops: error: database at .* is not initialised: run adminops initdb$/m,
    );
    expect(notReady.stderr).not.toMatch(/\bat .*\.js:\d+/); // no stack trace

    for (const step of [
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
    ]) {
      const result = await adminops(step, { db: url });
      expect(result.code, `${step.join(" ")}: ${result.stderr}`).toBe(0);
    }
    const users = await adminops(["list", "user", "-n", "all", "--json"], { db: url });
    expect(users.code).toBe(0);
    expect(JSON.parse(users.stdout)).toEqual([
      {
        id: 1,
        username: "user1",
        email: "user1",
        roles: ["role1"],
        wfc: { id: 1, name: "wfc1", org: "org1", orgunit: "ou1", department: "dept1" },
      },
    ]);

    // --password-stdin through a real pipe
    const piped = await adminops(
      ["adduser", "-n", "user2", "--password-stdin", "--rolenames", "role1", "--wfc", "wfc1"],
      { db: url, stdin: "piped-secret\n" },
    );
    expect(piped).toMatchObject({ code: 0, stdout: "user2 has been registered.\n" });
    // deleting needs a terminal or --yes
    const refused = await adminops(["delete", "user", "-n", "user2"], { db: url });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/pass --yes to delete without asking/);
  });
});

it("exits 2 on usage and settings errors and 0 on --help, through the bin launcher too", {
  timeout: 60_000,
}, async () => {
  const help = await adminops(["--help"], { bin: launcher });
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/adminops adduser/);
  const unknown = await adminops(["frobnicate"]);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/Unknown argument: frobnicate/);
  const badConfig = await adminops(["list", "org", "--config", "/nonexistent/settings.ini"]);
  expect(badConfig.code).toBe(2);
  expect(badConfig.stderr).toBe(
    "adminops: settings: --config /nonexistent/settings.ini: no such settings file (/nonexistent/settings.ini); pass an existing file or copy etc/tokenleader_settings.ini there\n",
  );
  const badUrl = await adminops(["list", "org", "--db", "mysql://x"]);
  expect(badUrl.code).toBe(2);
  expect(badUrl.stderr).toMatch(/^adminops: settings: --db: "mysql:\/\/x" is not usable/);
});

it.each([
  ["at the first password prompt", [{ waitFor: "Password for", send: CTRL_D }]],
  [
    "at the repeat prompt",
    [
      { waitFor: "Password for", send: "new-password-1\r" },
      { waitFor: "Repeat the password: ", send: CTRL_D },
    ],
  ],
] as [string, PtyStep[]][])(
  "passwd on a terminal, Ctrl-D %s: exit 1 with 'adminops: error: cancelled'",
  {
    timeout: 60_000,
  },
  async (_label, steps) => {
    // The prompt comes before the database is opened: none is needed.
    const db = `file:${path.join(scratch, "never-opened.db")}`;
    const result = await runInPty(
      [process.execPath, mainJs, "passwd", "-n", "user1", "--db", db, "--config", settingsFile],
      steps,
      { cwd: scratch, env: { PATH: process.env.PATH, HOME: scratch } },
    );
    expect(result.code).toBe(1);
    expect(result.output.replace(/\r\n/g, "\n")).toMatch(/\nadminops: error: cancelled\n$/);
  },
);

// adminops lockouts / unlock against real SQLite and PostgreSQL: failures recorded by the
// guessing policy are listed, and unlock lifts an account's or an address's lock.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCapturedIo } from "@tokenleader/client/terminal";
import { afterAll, expect, it } from "vitest";
import { describeEachProvider } from "../../../../test/helpers/test-databases.js";
import { createGuessingPolicy } from "../../../guessing/index.js";
import { runAdminops } from "../run-adminops.js";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tl-adminops-lockouts-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const settingsFile = path.join(scratch, "tokenleader_settings.ini");
fs.writeFileSync(
  settingsFile,
  "[login]\n\tmax_failures_per_account = 3\n\tmax_failures_per_source = 4\n\tlockout_duration = 600\n",
);
const GUESSING = {
  maxFailuresPerAccount: 3,
  maxFailuresPerSource: 4,
  windowSeconds: 60,
  lockoutSeconds: 600,
  trustedSourceDays: 30,
};

describeEachProvider("adminops lockouts and unlock", (ctx) => {
  async function adminops(args: string[]) {
    const io = createCapturedIo();
    const code = await runAdminops([...args, "--db", ctx.url, "--config", settingsFile], io, {
      env: {},
      cwd: scratch,
    });
    return { code, stdout: io.stdout, stderr: io.stderr };
  }
  /** One password check through the policy: "checked" (it failed) or "limited". */
  const guess = async (account: string, source: string) => {
    const policy = createGuessingPolicy(ctx.db, GUESSING);
    const outcome = await policy.check(
      { account, source },
      async () => false,
      () => "failure",
    );
    return outcome.limited ? "limited" : "checked";
  };

  it("lists nothing while nothing failed", async () => {
    const { code, stdout } = await adminops(["lockouts"]);
    expect(code).toBe(0);
    expect(stdout).toContain("nothing is locked");
  });

  it("lists locked accounts and addresses with counts and times; unlock -n lifts the account", async () => {
    for (let i = 0; i < 3; i++)
      expect(await guess("mallory-target", "203.0.113.5")).toBe("checked");
    expect(await guess("mallory-target", "203.0.113.6")).toBe("limited");

    const json = await adminops(["lockouts", "--json"]);
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(listed).toContainEqual(
      expect.objectContaining({
        kind: "account",
        account: "mallory-target",
        failures: 3,
        lockedUntil: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    );
    expect(listed).toContainEqual(
      expect.objectContaining({
        kind: "source",
        source: "203.0.113.5",
        failures: 3,
        lockedUntil: null,
      }),
    );
    const table = await adminops(["lockouts"]);
    expect(table.stdout).toMatch(/^kind\s+account\s+source\s+failures\s+locked until/);
    expect(table.stdout).toMatch(/account\s+mallory-target\s+-\s+3\s+\d{4}-/);

    const unlocked = await adminops(["unlock", "-n", "mallory-target"]);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(unlocked.stdout).toContain("unlocked account mallory-target");
    expect(await guess("mallory-target", "203.0.113.6")).toBe("checked");

    // Lifting a limit is a security decision: the audit trail says who lifted which.
    const audit = await adminops(["audit", "--user", "mallory-target", "--json"]);
    expect(audit.code, audit.stderr).toBe(0);
    const events = JSON.parse(audit.stdout) as Record<string, unknown>[];
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "lockout.lifted",
        outcome: "success",
        actor: expect.stringMatching(/^adminops:/),
        target: "mallory-target",
      }),
    );
  });

  it("unlock --source lifts an address; unlock without a target is a usage error", async () => {
    for (let i = 0; i < 4; i++) await guess(`sprayed-${i}`, "198.51.100.23");
    expect(await guess("someone-else", "198.51.100.23")).toBe("limited");
    const unlocked = await adminops(["unlock", "--source", "198.51.100.23", "--json"]);
    expect(unlocked.code).toBe(0);
    expect(JSON.parse(unlocked.stdout)).toMatchObject({ source: "198.51.100.23" });
    expect(await guess("someone-else", "198.51.100.23")).toBe("checked");

    const nothing = await adminops(["unlock", "-n", "never-failed"]);
    expect(nothing.stdout).toContain("nothing was limited");
    const usage = await adminops(["unlock"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("unlock needs -n USER and/or --source ADDRESS");
  });

  it("has help texts", async () => {
    const help = await adminops(["unlock", "--help"]);
    expect(help.stdout).toContain("--source");
    expect((await adminops(["--help"])).stdout).toMatch(
      /lockouts\s+list accounts and client addresses/,
    );
  });
});

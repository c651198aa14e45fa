// adminops passwd / setroles against real SQLite and PostgreSQL: the change is made, the user's
// login sessions end, their earlier bearer tokens are refused, and bad input changes nothing.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCapturedIo } from "@tokenleader/client/terminal";
import { afterAll, expect, it } from "vitest";
import { describeEachProvider } from "../../../../test/helpers/test-databases.js";
import { verifyPassword } from "../../../passwords/verify-password.js";
import { SessionStore } from "../../../sessions/index.js";
import { runAdminops } from "../run-adminops.js";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tl-adminops-passwd-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const settingsFile = path.join(scratch, "tokenleader_settings.ini");
fs.writeFileSync(settingsFile, "[passwords]\n\tmemory_cost = 7168\n\ttime_cost = 5\n");

describeEachProvider("adminops passwd and setroles", (ctx) => {
  async function adminops(
    args: string[],
    options: { stdin?: string; tty?: boolean; answers?: string[] } = {},
  ) {
    const io = createCapturedIo(options);
    const code = await runAdminops([...args, "--db", ctx.url, "--config", settingsFile], io, {
      env: {},
      cwd: scratch,
    });
    return { code, stdout: io.stdout, stderr: io.stderr };
  }

  let user = "";
  const bearerClaims = async (secondsAgo: number) => {
    const row = await ctx.db.prisma.user.findUniqueOrThrow({ where: { username: user } });
    return { sub: { id: row.id, username: user }, iat: Math.floor(Date.now() / 1000) - secondsAgo };
  };

  it("sets up a user with a login session", async () => {
    for (const args of [
      ["add", "org", "-n", "po"],
      ["add", "ou", "-n", "pu"],
      ["add", "dept", "-n", "pd"],
      ["add", "role", "-n", "pr1"],
      ["add", "role", "-n", "pr2"],
      ["addwfc", "-n", "pw", "--wfcorg", "po", "--wfcou", "pu", "--wfcdept", "pd"],
      ["adduser", "-n", "puser", "--password", "old-password", "--rolenames", "pr1", "--wfc", "pw"],
    ]) {
      const result = await adminops(args);
      expect(result.code, result.stderr).toBe(0);
    }
    user = "puser";
  });

  it("passwd: reads the new password from stdin, ends sessions and earlier tokens", async () => {
    const store = new SessionStore(ctx.db, { cacheTtlMs: 0 });
    const session = await store.create({
      username: user,
      source: "database",
      expiresAt: new Date(Date.now() + 3_600_000),
      refreshJti: "r",
    });
    const oldToken = await bearerClaims(10);
    expect(await store.isTokenActive(oldToken)).toBe(true);

    const result = await adminops(["passwd", "-n", user, "--password-stdin"], {
      stdin: "brand-new-password\n",
    });
    expect(result).toMatchObject({
      code: 0,
      stdout: `password of ${user} changed; their login sessions and earlier tokens have ended.\n`,
    });
    const row = await ctx.db.prisma.user.findUniqueOrThrow({ where: { username: user } });
    expect((await verifyPassword("brand-new-password", row.passwordHash)).ok).toBe(true);
    expect((await verifyPassword("old-password", row.passwordHash)).ok).toBe(false);
    expect(await store.isActive(session.id)).toBe(false);
    expect(await store.isTokenActive(oldToken)).toBe(false);
    // A token issued after the change carries the new cutoff (claim tva) and is good.
    const changed = await ctx.db.prisma.user.findUniqueOrThrow({ where: { username: user } });
    const newToken = { ...(await bearerClaims(0)), tva: changed.tokensValidAfter!.getTime() };
    expect(await store.isTokenActive(newToken)).toBe(true);
  });

  it("passwd: prompts twice on a terminal; refuses an unknown user and a missing password", async () => {
    const prompted = await adminops(["passwd", "-n", user], {
      tty: true,
      answers: ["prompted-password", "prompted-password"],
    });
    expect(prompted.code, prompted.stderr).toBe(0);
    const unknown = await adminops(["passwd", "-n", "ghost", "--password", "whatever-pw"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/user "ghost" not found/);
    const noPassword = await adminops(["passwd", "-n", user]);
    expect(noPassword.code).not.toBe(0);
    expect(noPassword.stderr).toMatch(/no password given/);
    const row = await ctx.db.prisma.user.findUniqueOrThrow({ where: { username: user } });
    expect((await verifyPassword("prompted-password", row.passwordHash)).ok).toBe(true);
  });

  it("setroles: replaces the roles (--json), ends earlier tokens; unknown roles change nothing", async () => {
    const store = new SessionStore(ctx.db, { cacheTtlMs: 0 });
    const oldToken = await bearerClaims(10);
    const result = await adminops(["setroles", "-n", user, "--rolenames", "pr2, pr1", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ username: user, roles: ["pr1", "pr2"] });
    expect(await store.isTokenActive(oldToken)).toBe(false);

    const cutoff = (await ctx.db.prisma.user.findUniqueOrThrow({ where: { username: user } }))
      .tokensValidAfter;
    const refused = await adminops(["setroles", "-n", user, "--rolenames", "pr1,ghost-role"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/role "ghost-role" does not exist/);
    // Nothing changed: neither the roles (not even the known pr1 alone) nor the token cutoff.
    const unchanged = await adminops(["list", "user", "-n", user, "--json"]);
    expect(unchanged.code, unchanged.stderr).toBe(0);
    expect(JSON.parse(unchanged.stdout)).toMatchObject({ username: user, roles: ["pr1", "pr2"] });
    const row = await ctx.db.prisma.user.findUniqueOrThrow({ where: { username: user } });
    expect(row.tokensValidAfter).toEqual(cutoff);
    const none = await adminops(["setroles", "-n", user, "--rolenames", ""]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toMatch(/^roles of puser: \(none\);/);
    const after = await adminops(["list", "user", "-n", user, "--json"]);
    expect(JSON.parse(after.stdout)).toMatchObject({ roles: [] });
  });

  it("revoke: ends sessions and earlier tokens, keeps password and roles; unknown user fails", async () => {
    const store = new SessionStore(ctx.db, { cacheTtlMs: 0 });
    const session = await store.create({
      username: user,
      source: "database",
      expiresAt: new Date(Date.now() + 3_600_000),
      refreshJti: "r",
    });
    const before = await ctx.db.prisma.user.findUniqueOrThrow({ where: { username: user } });
    const oldToken = { ...(await bearerClaims(0)), tva: before.tokensValidAfter?.getTime() ?? 0 };
    expect(await store.isTokenActive(oldToken)).toBe(true);
    const result = await adminops(["revoke", "-n", user]);
    expect(result).toMatchObject({
      code: 0,
      stdout: `login sessions and tokens of ${user} ended; they must log in again.\n`,
    });
    expect(await store.isActive(session.id)).toBe(false);
    expect(await store.isTokenActive(oldToken)).toBe(false);
    const after = await ctx.db.prisma.user.findUniqueOrThrow({ where: { username: user } });
    expect(after.passwordHash).toBe(before.passwordHash);
    const listed = await adminops(["list", "user", "-n", user, "--json"]);
    expect(JSON.parse(listed.stdout).roles).toEqual([]);
    const unknown = await adminops(["revoke", "-n", "ghost"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/user "ghost" not found/);
  });
});

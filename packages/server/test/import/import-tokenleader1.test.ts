// adminops import tokenleader1 from SQLite files of both historical shapes (reference §4.1/§4.2),
// into both of our providers; the imported users then log in through /token/gettoken with their
// original passwords.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachProvider } from "../helpers/test-databases.js";
import { createTestServer, type TestServer } from "../helpers/test-server.js";
import { runAdminopsOn, scratchDirectory, writeSqliteDatabase } from "./import-helpers.js";
import {
  tokenleader18Statements,
  tokenleaderCorrectedStatements,
  WERKZEUG_USER1,
} from "./tokenleader1-fixtures.js";

const scratch = scratchDirectory("tl-import-");
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const oldDbFile = path.join(scratch, "auth-1.8.db");
const correctedDbFile = path.join(scratch, "auth-tokenrest.db");
writeSqliteDatabase(oldDbFile, tokenleader18Statements());
writeSqliteDatabase(correctedDbFile, tokenleaderCorrectedStatements());

async function getToken(server: TestServer, username: string, password: string) {
  const response = await server.app.inject({
    method: "POST",
    url: "/token/gettoken",
    headers: { "content-type": "application/json" },
    payload: JSON.stringify({ username, password }),
  });
  return { statusCode: response.statusCode, body: response.json() };
}

function subOf(token: string) {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).sub;
}

describeEachProvider("adminops import tokenleader1", (ctx) => {
  describe("a 1.8-shaped SQLite database", () => {
    let first: { code: number; stdout: string; stderr: string };
    let server: TestServer;
    beforeAll(async () => {
      first = await runAdminopsOn(
        ctx.url,
        ["import", "tokenleader1", "--from", oldDbFile, "--json"],
        {
          cwd: scratch,
        },
      );
      server = await createTestServer({ db: ctx.db });
    });
    afterAll(async () => {
      await server?.close();
    });

    it("imports what maps, counts it, and names every record left out with the reason", () => {
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      const report = JSON.parse(first.stdout);
      expect(report.sourceShape).toMatch(/1\.8 schema.*3f6c8ac80cdf/);
      expect(report.dryRun).toBe(false);
      expect(report.counts).toEqual({
        org: { created: 3, updated: 0, unchanged: 0, notMapped: 0 },
        ou: { created: 3, updated: 0, unchanged: 0, notMapped: 0 },
        dept: { created: 3, updated: 0, unchanged: 0, notMapped: 0 },
        role: { created: 2, updated: 0, unchanged: 0, notMapped: 0 },
        wfc: { created: 3, updated: 0, unchanged: 0, notMapped: 1 },
        user: { created: 3, updated: 0, unchanged: 0, notMapped: 2 },
        service: { created: 2, updated: 0, unchanged: 0, notMapped: 0 },
      });
      const notMapped = Object.fromEntries(
        report.notMapped.map((p: { entity: string; name: string; reason: string }) => [
          `${p.entity} ${p.name}`,
          p.reason,
        ]),
      );
      expect(notMapped["wfc wfc2"]).toMatch(
        /no organization, org unit or department is linked to it: in 1\.8 each belongs to one wfc/,
      );
      expect(notMapped["user bob"]).toMatch(/wfc "wfc2" was not imported/);
      expect(notMapped["user dave"]).toMatch(/has no wfc: in 1\.8 a wfc belongs to one user/);
      expect(notMapped["role grant user id 99 / role id 2"]).toMatch(/not in the source/);
      expect(report.warnings).toContainEqual({
        entity: "user",
        name: "frank",
        reason: expect.stringMatching(
          /without its e-mail: "carol@example.org" is also the e-mail of user "carol"/,
        ),
      });
    });

    it("keeps the Werkzeug hashes as they were and upgrades one to argon2id at its first login", async () => {
      const stored = () => ctx.db.prisma.user.findUnique({ where: { username: "user1" } });
      expect((await stored())?.passwordHash).toBe(WERKZEUG_USER1);
      const user1 = await getToken(server, "user1", "user1");
      expect(user1.statusCode).toBe(201);
      expect((await stored())?.passwordHash).toMatch(/^\$argon2id\$/);
      expect((await getToken(server, "user1", "user1")).statusCode).toBe(201);
      expect((await getToken(server, "user1", "user2")).body.status).toBe("Wrong Password");
    });

    it("lets the users log in with their 1.x passwords and puts their roles and wfc in the token", async () => {
      const user1 = await getToken(server, "user1", "user1");
      expect(user1.statusCode).toBe(201);
      expect(subOf(user1.body.auth_token)).toMatchObject({
        username: "user1",
        email: "user1",
        roles: ["role1"],
        wfc: { name: "wfc1", org: "org1", orgunit: "ou1", department: "dept1" },
      });
      expect(Object.keys(user1.body.service_catalog).sort()).toEqual(["micros1", "tokenleader"]);
      expect(user1.body.service_catalog.micros1).toMatchObject({
        endpoint_url_internal: "http://micros1:5002",
        endpoint_url_external: "https://micros1.example.org",
        endpoint_url_admin: "http://admin:5003",
      });
      const carol = await getToken(server, "carol", "carol-pw");
      expect(subOf(carol.body.auth_token)).toMatchObject({
        roles: ["role1", "role2"],
        wfc: { name: "wfc3", org: "org2", orgunit: "ou2", department: "dept2" },
      });
      const frank = await getToken(server, "frank", "frank-pw");
      expect(subOf(frank.body.auth_token)).toMatchObject({ email: null, roles: ["role2"] });
      expect((await getToken(server, "carol", "wrong")).body.status).toBe("Wrong Password");
      expect((await getToken(server, "bob", "bob-pw")).body.status).toBe("User not registered");
      expect((await getToken(server, "dave", "dave-pw")).body.status).toBe("User not registered");
    });

    it("a second run changes nothing and keeps the passwords upgraded meanwhile", async () => {
      const again = await runAdminopsOn(ctx.url, ["import", "tokenleader1", "--from", oldDbFile], {
        cwd: scratch,
      });
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/^import tokenleader1 from .*auth-1\.8\.db\n/);
      expect(again.stdout).toMatch(/users\s+0\s+0\s+3\s+2\n/);
      expect(again.stdout).toMatch(/organizations\s+0\s+0\s+3\s+0\n/);
      expect(again.stdout).toMatch(/not mapped \(4\):\n/);
      expect(again.stdout).toMatch(/user "user1": kept the password set on this server/);
      expect(
        await ctx.db.prisma.user.count({
          where: { username: { in: ["user1", "carol", "frank"] } },
        }),
      ).toBe(3);
      expect((await getToken(server, "user1", "user1")).statusCode).toBe(201);
    });
    it("a wfc created here for one 1.8 lost takes its users at the next run", async () => {
      await server.adminService.addWfc("wfc2", "org1", "ou1", "dept1");
      const run = await runAdminopsOn(
        ctx.url,
        ["import", "tokenleader1", "--from", oldDbFile, "--json"],
        { cwd: scratch },
      );
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report.counts.user).toEqual({ created: 1, updated: 0, unchanged: 3, notMapped: 1 });
      expect(report.warnings).toContainEqual({
        entity: "user",
        name: "bob",
        reason:
          'linked to the wfc "wfc2" already on this server (the source\'s could not be imported)',
      });
      const bob = await getToken(server, "bob", "bob-pw");
      expect(subOf(bob.body.auth_token).wfc).toMatchObject({ name: "wfc2", org: "org1" });
    });
  });

  it("a corrected-shape database from a sqlite:/// URL; --dry-run reports and writes nothing", async () => {
    const { db, url } = await ctx.createDatabase();
    const relative = `sqlite:///${path.basename(correctedDbFile)}`;
    const dry = await runAdminopsOn(
      url,
      ["import", "tokenleader1", "--from", relative, "--dry-run", "--json"],
      {
        cwd: scratch,
      },
    );
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report).toMatchObject({
      dryRun: true,
      sourceShape: expect.stringMatching(/corrected schema.*70c688d7cd94/),
      counts: { wfc: { created: 2 }, user: { created: 2, notMapped: 1 } },
    });
    expect(report.notMapped).toEqual([
      { entity: "user", name: "grace", reason: "its wfc (id 77) is missing or was not imported" },
    ]);
    expect(await db.prisma.user.count()).toBe(0);
    expect(await db.prisma.organization.count()).toBe(0);
    expect(await db.prisma.auditEvent.count()).toBe(0);

    const real = await runAdminopsOn(
      url,
      ["import", "tokenleader1", "--from", `sqlite:///${correctedDbFile}`, "--json"],
      {
        cwd: "/",
      },
    );
    expect(real.code).toBe(0);
    expect(JSON.parse(real.stdout).counts).toEqual(report.counts);
    const carol = await db.prisma.user.findUnique({
      where: { username: "carol" },
      include: { wfc: { include: { org: true } } },
    });
    expect(carol?.wfc).toMatchObject({ name: "wfc2", org: { name: "org1" } });
    expect(await db.prisma.auditEvent.count({ where: { eventType: "user.created" } })).toBe(2);
  });

  it("an unreadable source: a clear error, exit 1, nothing written", async () => {
    const { db, url } = await ctx.createDatabase();
    const missing = await runAdminopsOn(
      url,
      ["import", "tokenleader1", "--from", path.join(scratch, "nope.db")],
      {
        cwd: scratch,
      },
    );
    expect(missing).toMatchObject({ code: 1, stdout: "" });
    expect(missing.stderr).toMatch(
      /^adminops: error: the SQLite file .*nope\.db does not exist\n$/,
    );

    const other = path.join(scratch, `other-${ctx.provider}.db`);
    writeSqliteDatabase(other, ["CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"]);
    const wrong = await runAdminopsOn(url, ["import", "tokenleader1", "--from", other], {
      cwd: scratch,
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(
      /is not a tokenleader 1\.x database: tables user, role, .* missing/,
    );

    const garbage = path.join(scratch, "garbage.db");
    fs.writeFileSync(garbage, "this is not a database file at all, just some text ".repeat(100));
    const notSqlite = await runAdminopsOn(url, ["import", "tokenleader1", "--from", garbage], {
      cwd: scratch,
    });
    expect(notSqlite.code).toBe(1);
    expect(notSqlite.stderr).toMatch(
      /adminops: error: cannot read .*garbage\.db: file is not a database\n$/,
    );

    const unknownScheme = await runAdminopsOn(
      url,
      ["import", "tokenleader1", "--from", "oracle://h/db"],
      {
        cwd: scratch,
      },
    );
    expect(unknownScheme.code).toBe(1);
    expect(unknownScheme.stderr).toMatch(/unsupported source "oracle:\/\/h\/db"/);

    const noFrom = await runAdminopsOn(url, ["import", "tokenleader1"], { cwd: scratch });
    expect(noFrom.code).toBe(2);
    expect(noFrom.stderr).toMatch(/needs --from/);
    expect(await db.prisma.user.count()).toBe(0);
    expect(await db.prisma.organization.count()).toBe(0);
  });
});

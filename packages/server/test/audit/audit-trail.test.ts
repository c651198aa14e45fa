import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createCapturedIo } from "@tokenleader/client/terminal";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createAuditTrail,
  deleteExpiredAuditEvents,
  recordLoginFailed,
  recordSigningKeyEvent,
  startAuditRetention,
} from "../../src/audit/index.js";
import { runAdminops } from "../../src/cli/adminops/run-adminops.js";
import { adminRoutesPlugin } from "../../src/http/admin/admin-routes-plugin.js";
import { createAdminService } from "../../src/services/index.js";
import { describeEachProvider } from "../helpers/test-databases.js";
import { seedUsers } from "../helpers/test-server.js";
import {
  createLoginTestServer,
  InjectClient,
  type LoginTestServer,
  SAMPLE_USERS_YAML,
} from "../login/login-test-server.js";

// The audit trail (issue 12 point 7) as an operator meets it: events written by real requests,
// read back with `adminops audit`, kept append-only and pruned by the retention setting.

const SOURCE_DIR = fileURLToPath(new URL("../../src/", import.meta.url));
// U+202E (right-to-left override), a newline and ESC: stored as given, printed escaped.
const HOSTILE_NAME = "mal\u202eyro\nFAKE LINE\u001b[2J";
const HOSTILE_ESCAPED = "mal\\u{202e}yro\\nFAKE LINE\\x1b[2J";

describeEachProvider("audit trail", (ctx) => {
  let server: LoginTestServer;
  const logLines: Record<string, unknown>[] = [];
  const rawLog: string[] = [];
  const secrets: string[] = [];
  let adminToken = "";

  beforeAll(async () => {
    const { default: pino } = await import("pino");
    const logger = pino(
      { level: "info" },
      {
        write: (line: string) => {
          rawLog.push(line);
          logLines.push(JSON.parse(line) as Record<string, unknown>);
        },
      },
    );
    server = await createLoginTestServer({
      db: ctx.db,
      usersYaml: SAMPLE_USERS_YAML,
      guessing: "settings",
      ini: { login: { max_failures_per_account: "2", max_failures_per_source: "10" } },
      logger,
      extraPlugins: [adminRoutesPlugin],
    });
    await server.adminService.addRole("admin");
    await seedUsers(server.adminService, [
      { username: "boss", password: "boss-password-1", roles: ["admin"] },
      { username: "dbuser", password: "db-password-1" },
    ]);
    secrets.push("boss-password-1", "db-password-1", "alice-pw");
    const got = await server.app.inject({
      method: "POST",
      url: "/token/gettoken",
      payload: { username: "boss", password: "boss-password-1" },
    });
    adminToken = got.json().auth_token as string;
    secrets.push(adminToken);
  });
  afterAll(() => server.close());

  const rows = () => ctx.db.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
  /** The events of one type (recorded after the answer: wait for them). */
  const eventsOf = async (type: string, target?: string, count = 1) =>
    vi.waitFor(async () => {
      const found = (await rows()).filter(
        (row) => row.eventType === type && (target === undefined || row.target === target),
      );
      expect(found.length).toBeGreaterThanOrEqual(count);
      return found;
    });
  const details = (row: { details: string | null }) => JSON.parse(row.details ?? "{}");

  async function adminops(args: string[]) {
    const io = createCapturedIo({});
    const code = await runAdminops([...args, "--db", ctx.url], io, {
      env: {},
      cwd: server.dataDir,
    });
    return { code, stdout: io.stdout, stderr: io.stderr };
  }

  describe("what is recorded", () => {
    it("/login: succeeded, failed and limited, with the user as actor and target and the address", async () => {
      const c = new InjectClient(server.app);
      expect((await c.login("alice", "alice-pw")).statusCode).toBe(200);
      const [ok] = await eventsOf("login.succeeded", "alice");
      expect(ok).toMatchObject({ outcome: "success", actor: "alice", sourceAddress: "127.0.0.1" });
      expect(details(ok!)).toMatchObject({ via: "json", source: "file" });

      await c.login("dbuser", "wrong-guess-0");
      secrets.push("wrong-guess-0");
      const [failed] = await eventsOf("login.failed", "dbuser");
      expect(failed).toMatchObject({ outcome: "failure", actor: "dbuser" });
      expect(details(failed!)).toMatchObject({ via: "json", reason: "wrong-password" });

      // Another account, so that dbuser stays usable for the tests below (2 failures lock it).
      const fromElsewhere = (password: string) =>
        server.app.inject({
          method: "POST",
          url: "/login",
          remoteAddress: "10.9.9.9",
          payload: { username: "guessed-user", password },
        });
      for (const guess of ["guess-a", "guess-b", "guess-c"]) await fromElsewhere(guess);
      secrets.push("guess-a", "guess-b", "guess-c");
      const [limited] = await eventsOf("login.limited", "guessed-user");
      expect(limited).toMatchObject({ outcome: "failure", sourceAddress: "10.9.9.9" });
    });

    it("/token/gettoken: token issued with its jti (never the token), failures with the reason", async () => {
      const got = await server.app.inject({
        method: "POST",
        url: "/token/gettoken",
        payload: { username: "dbuser", password: "db-password-1" },
      });
      const token = got.json().auth_token as string;
      secrets.push(token);
      const issued = await eventsOf("token.issued", "dbuser");
      expect(issued.map((row) => details(row).jti)).toContain(decodeJwt(token).jti);

      await server.app.inject({
        method: "POST",
        url: "/token/gettoken",
        payload: { username: "nobody-here", password: "guess-for-nobody" },
      });
      secrets.push("guess-for-nobody");
      const [unknown] = await eventsOf("login.failed", "nobody-here");
      expect(details(unknown!)).toMatchObject({ via: "gettoken", reason: "unknown_user" });
    });

    it("logout ends a session; a reused refresh token is recorded with the session id", async () => {
      const c = new InjectClient(server.app);
      await c.login("alice", "alice-pw");
      const sid = decodeJwt(c.jar.get("access_token_cookie")!.value).sid;
      secrets.push(
        c.jar.get("access_token_cookie")!.value,
        c.jar.get("refresh_token_cookie")!.value,
      );
      expect((await c.post("/logout", { csrf: "access" })).statusCode).toBe(200);
      const ended = await eventsOf("session.ended", "alice");
      expect(ended.map((row) => details(row).sid)).toContain(sid);

      const owner = new InjectClient(server.app);
      await owner.login("alice", "alice-pw");
      const oldRefresh = owner.jar.get("refresh_token_cookie")!.value;
      secrets.push(oldRefresh);
      const stolen = owner.jar.clone();
      expect((await owner.post("/refresh", { csrf: "refresh" })).statusCode).toBe(200);
      const thief = new InjectClient(server.app);
      Object.assign(thief, { jar: stolen });
      expect((await thief.post("/refresh", { csrf: "refresh" })).statusCode).toBe(401);
      const [reused] = await eventsOf("refresh_token.reused", "alice");
      expect(reused).toMatchObject({ outcome: "failure", sourceAddress: "127.0.0.1" });
      expect(details(reused!).sid).toBe(decodeJwt(oldRefresh).sid);
    });

    it("admin API changes name the token's user as actor and the record as target", async () => {
      const call = (method: "POST" | "DELETE", url: string, body: unknown) =>
        server.app.inject({
          method,
          url,
          headers: { "x-auth-token": adminToken, "content-type": "application/json" },
          payload: JSON.stringify(body),
        });
      expect((await call("POST", "/add/role", { rolename: "auditors" })).statusCode).toBe(201);
      const user = { username: "newbie", password: "newbie-password", wfc: "wfc1", roles: [] };
      secrets.push("newbie-password");
      expect((await call("POST", "/add/user", user)).statusCode).toBe(201);
      const service = { name: "billing", urlint: "http://billing.local", password: "svc-secret-1" };
      secrets.push("svc-secret-1");
      expect((await call("POST", "/add/service", service)).statusCode).toBe(201);
      expect((await call("DELETE", "/delete/user", { username: "newbie" })).statusCode).toBe(200);

      const all = await rows();
      const find = (type: string, target: string) =>
        all.find((row) => row.eventType === type && row.target === target);
      expect(find("role.created", "role:auditors")).toMatchObject({ actor: "boss" });
      expect(find("user.created", "newbie")).toMatchObject({ actor: "boss" });
      expect(find("service.created", "service:billing")).toMatchObject({ actor: "boss" });
      expect(find("user.deleted", "newbie")).toMatchObject({
        actor: "boss",
        sourceAddress: "127.0.0.1",
      });
      // Changes made outside a request (the seeding above) are the server's own.
      expect(find("role.created", "role:admin")).toMatchObject({ actor: "server" });
    });

    it("adminops changes name the OS user; a refused change records nothing", async () => {
      expect((await adminops(["add", "role", "-n", "ops-role"])).code).toBe(0);
      const [created] = await eventsOf("role.created", "role:ops-role");
      expect(created!.actor).toMatch(/^adminops(:.+)?$/);
      const before = (await rows()).length;
      expect((await adminops(["add", "role", "-n", "ops-role"])).code).not.toBe(0);
      expect((await rows()).length).toBe(before);
    });

    it("key changes: generated, then a different key loaded; a restart with the same key records nothing", async () => {
      const { db } = await ctx.createDatabase();
      const trail = createAuditTrail(db, { error: () => {} });
      const key = { kid: "kid-1", algorithm: "RS512", source: "generated" };
      await recordSigningKeyEvent(db, trail, key, true);
      await recordSigningKeyEvent(db, trail, key, false);
      await recordSigningKeyEvent(db, trail, { ...key, kid: "kid-2", source: "/etc/key" }, false);
      const keyRows = await db.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
      expect(keyRows.map((row) => [row.eventType, details(row).kid])).toEqual([
        ["key.generated", "kid-1"],
        ["key.loaded", "kid-2"],
      ]);
    });
  });

  describe("control characters", () => {
    it("a hostile username is stored as given but logged escaped", async () => {
      await new InjectClient(server.app).login(HOSTILE_NAME, "whatever-1");
      await server.app.inject({
        method: "POST",
        url: "/token/gettoken",
        payload: { username: HOSTILE_NAME, password: "whatever-2" },
      });
      secrets.push("whatever-1", "whatever-2");
      await eventsOf("login.failed", HOSTILE_NAME, 2);
      const logged = logLines.filter((line) => String(line.username ?? "").startsWith("mal"));
      expect(logged.length).toBeGreaterThanOrEqual(2);
      for (const line of logged) expect(line.username).toBe(HOSTILE_ESCAPED);
      expect(rawLog.join("")).not.toContain("\u202e");
    });

    it("adminops audit prints it escaped; --json keeps the value but shows no raw override", async () => {
      const table = await adminops(["audit", "--user", HOSTILE_NAME]);
      expect(table.code).toBe(0);
      expect(table.stdout).toContain(HOSTILE_ESCAPED);
      expect(table.stdout).not.toMatch(/[\u202e\u001b]/);
      expect(table.stdout).not.toContain("\nFAKE LINE");
      const json = await adminops(["audit", "--user", HOSTILE_NAME, "--json"]);
      expect(json.stdout).not.toContain("\u202e");
      const events = JSON.parse(json.stdout) as { target: string }[];
      expect(events.length).toBe(2);
      for (const event of events) expect(event.target).toBe(HOSTILE_NAME);
    });
  });

  describe("adminops audit", () => {
    it("filters by user, time and count, newest last", async () => {
      const json = async (args: string[]) => {
        const result = await adminops(["audit", "--json", ...args]);
        expect(result.code, result.stderr).toBe(0);
        return JSON.parse(result.stdout) as {
          id: number;
          type: string;
          actor: string;
          target: string;
          time: string;
        }[];
      };
      const alice = await json(["--user", "alice"]);
      expect(alice.length).toBeGreaterThan(0);
      for (const event of alice) expect([event.actor, event.target]).toContain("alice");
      const ids = alice.map((event) => event.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));

      const lastTwo = await json(["--limit", "2"]);
      const everything = await json(["--limit", "1000"]);
      expect(lastTwo.map((event) => event.id)).toEqual(
        everything.slice(-2).map((event) => event.id),
      );

      expect(await json(["--since", "2099-01-01"])).toEqual([]);
      expect((await json(["--since", "1h"])).length).toBe(everything.length);
      expect((await json(["--since", "2000-01-01T00:00:00Z"])).length).toBe(everything.length);

      const text = await adminops(["audit", "--user", "boss"]);
      expect(text.stdout.split("\n")[0]).toMatch(
        /^TIME\s+EVENT\s+OUTCOME\s+ACTOR\s+TARGET\s+SOURCE/,
      );
      expect(text.stdout).toContain("role.created");
    });

    it("refuses a --since it cannot read, naming the forms it takes", async () => {
      const result = await adminops(["audit", "--since", "yesterday"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--since yesterday: .*24h/);
    });
  });

  describe("append-only and retention", () => {
    it("retention deletes only events older than the setting; 0 keeps everything", async () => {
      const { db } = await ctx.createDatabase();
      const day = 86_400_000;
      const now = Date.now();
      for (const age of [100, 91, 89, 1]) {
        await db.prisma.auditEvent.create({
          data: { eventType: "login.failed", outcome: "failure", time: new Date(now - age * day) },
        });
      }
      expect(await deleteExpiredAuditEvents(db, 0, now)).toBe(0);
      expect(await deleteExpiredAuditEvents(db, 90, now)).toBe(2);
      const left = await db.prisma.auditEvent.findMany();
      expect(left.map((row) => Math.round((now - row.time.getTime()) / day)).sort()).toEqual([
        1, 89,
      ]);
    });

    it("the database itself keeps rows from being changed", async () => {
      const { db } = await ctx.createDatabase();
      const row = await db.prisma.auditEvent.create({
        data: { eventType: "login.failed", outcome: "failure", target: "victim" },
      });
      await db.prisma
        .$executeRawUnsafe(`UPDATE audit_event SET target = 'someone-else' WHERE id = ${row.id}`)
        .catch(() => "refused");
      await db.prisma.auditEvent
        .updateMany({ where: { id: row.id }, data: { outcome: "success" } })
        .catch(() => "refused");
      expect(await db.prisma.auditEvent.findUnique({ where: { id: row.id } })).toEqual(row);
    });

    it("retention runs at start", async () => {
      const { db } = await ctx.createDatabase();
      await db.prisma.auditEvent.create({
        data: {
          eventType: "login.failed",
          outcome: "failure",
          time: new Date(Date.now() - 40 * 86_400_000),
        },
      });
      const info = vi.fn();
      const stop = startAuditRetention(db, 30, { info, warn: () => {} });
      try {
        await vi.waitFor(async () => expect(await db.prisma.auditEvent.count()).toBe(0));
        expect(info).toHaveBeenCalledWith(
          expect.objectContaining({ deleted: 1 }),
          expect.any(String),
        );
      } finally {
        stop();
      }
    });

    it("a login event that cannot be written is logged, not thrown; an admin change that cannot be audited is not saved", async () => {
      const { db } = await ctx.createDatabase();
      await db.prisma.$executeRawUnsafe("DROP TABLE audit_event");
      const error = vi.fn();
      const trail = createAuditTrail(db, { error });
      await expect(
        recordLoginFailed(trail, { username: "u", sourceAddress: "10.0.0.1", via: "json" }),
      ).resolves.toBeUndefined();
      expect(error).toHaveBeenCalledWith(
        expect.objectContaining({
          auditEvent: expect.objectContaining({ eventType: "login.failed", target: "u" }),
        }),
        "could not record an audit event",
      );
      const service = createAdminService(db, server.settings);
      await expect(service.addRole("unaudited")).rejects.toThrow();
      expect(await db.prisma.role.findUnique({ where: { name: "unaudited" } })).toBeNull();
    });

    it("nothing in the server updates or deletes audit rows except the retention", async () => {
      const offenders: string[] = [];
      const walk = async (dir: string): Promise<void> => {
        for (const entry of await readdir(dir, { withFileTypes: true })) {
          const full = join(dir, entry.name);
          if (entry.isDirectory()) {
            if (entry.name !== "generated") await walk(full);
          } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts")) {
            const text = await readFile(full, "utf8");
            if (/auditEvent\s*\.\s*(update|updateMany|upsert|delete|deleteMany)\b/.test(text)) {
              offenders.push(full.slice(SOURCE_DIR.length));
            }
            if (/audit_event/i.test(text) && /\b(UPDATE|DELETE)\b/.test(text)) {
              offenders.push(`${full.slice(SOURCE_DIR.length)} (raw SQL)`);
            }
          }
        }
      };
      await walk(SOURCE_DIR);
      expect(offenders).toEqual(["audit/audit-retention.ts"]);
    });

    it("no row holds a password or a token used in these tests", async () => {
      const text = JSON.stringify(await rows());
      expect(secrets.length).toBeGreaterThan(10);
      for (const secret of secrets) expect(text).not.toContain(secret);
    });
  });
});

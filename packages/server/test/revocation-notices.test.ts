import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildServer } from "../src/http/index.js";
import { createAdminService } from "../src/services/index.js";
import {
  listenForRevocations,
  type SessionSource,
  SessionStore,
  sessionRevocationHooks,
} from "../src/sessions/index.js";
import {
  type AdminTestServer,
  call,
  createAdminTestServer,
} from "./admin/helpers/admin-test-server.js";
import { describeEachProvider } from "./helpers/test-databases.js";
import { seedUsers } from "./helpers/test-server.js";

// Three apps on one database, each with its own caches, as three server processes would be:
// A makes the changes; B listens for revocation notices; C does not (its caches keep an answer
// for their maximum age, 2 s). On PostgreSQL, B must refuse a revoked token within 100 ms while
// C still accepts it, which shows the refusal comes from the notice and not from a cache miss.
// On SQLite nothing is notified: both keep the answer, as before.

const WITHIN_MS = 100;

interface Instance {
  app: FastifyInstance;
  sessions: SessionStore;
}

describeEachProvider("revocations reach the other instances", (ctx) => {
  let a: AdminTestServer;
  let b: Instance;
  let c: Instance;
  const notified = () => ctx.provider === "postgresql";

  async function startInstance(listenForRevocations: boolean): Promise<Instance> {
    const sessions = new SessionStore(ctx.db);
    const app = buildServer(a.settings, {
      db: ctx.db,
      keySet: a.keySet,
      adminService: createAdminService(ctx.db, a.settings, sessionRevocationHooks(sessions)),
      sessions,
      listenForRevocations,
    });
    await app.ready();
    return { app, sessions };
  }

  beforeAll(async () => {
    a = await createAdminTestServer({ db: ctx.db });
    b = await startInstance(true);
    c = await startInstance(false);
  });
  afterAll(async () => {
    await b?.app.close();
    await c?.app.close();
    await a?.close();
  });

  const verify = (instance: Instance, token: string) =>
    instance.app
      .inject({ method: "GET", url: "/token/verify_token", headers: { "X-Auth-Token": token } })
      .then((response) => response.statusCode);

  /** Polls every 10 ms until `check` is false or `WITHIN_MS` has passed; its last answer. */
  async function stillTrueAfter(check: () => Promise<boolean>): Promise<boolean> {
    const deadline = Date.now() + WITHIN_MS;
    for (;;) {
      if (!(await check())) return false;
      if (Date.now() >= deadline) return true;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  const acceptedAfter = (instance: Instance, token: string) =>
    stillTrueAfter(async () => (await verify(instance, token)) === 200);

  /** A login session of an hour, opened at A. */
  const openSession = (username: string, source: SessionSource) =>
    a.sessions.create({
      username,
      source,
      expiresAt: new Date(Date.now() + 3_600_000),
      refreshJti: `jti-${randomUUID()}`,
    });

  /** A bearer token of a fresh user, verified (and so cached as good) at B and C. */
  async function tokenCachedAtOthers(username: string): Promise<string> {
    await seedUsers(a.adminService, [{ username, password: `${username}-password` }]);
    const token = await a.tokenFor(username, `${username}-password`);
    expect(await verify(b, token)).toBe(200);
    expect(await verify(c, token)).toBe(200);
    return token;
  }

  it("POST /revoke/user at A: B refuses the token within 100 ms, C (not listening) still accepts it", async () => {
    const token = await tokenCachedAtOthers("revoked1");
    const revoked = await call(a, "POST", "/revoke/user", {
      token: a.adminToken,
      body: { username: "revoked1" },
    });
    expect(revoked.statusCode).toBe(200);
    expect(await acceptedAfter(b, token)).toBe(!notified());
    expect(await acceptedAfter(c, token)).toBe(true);
  });

  it("a password change at A: B refuses the token within 100 ms", async () => {
    const token = await tokenCachedAtOthers("changed1");
    await a.adminService.updateUser({ username: "changed1", password: "changed1-new-password" });
    expect(await acceptedAfter(b, token)).toBe(!notified());
    expect(await acceptedAfter(c, token)).toBe(true);
  });

  it("deleting the user at A: B refuses the token within 100 ms", async () => {
    const token = await tokenCachedAtOthers("deleted1");
    await a.adminService.deleteUser("deleted1");
    expect(await acceptedAfter(b, token)).toBe(!notified());
    expect(await acceptedAfter(c, token)).toBe(true);
  });

  it("a revocation by a process without a server (adminops) reaches B too", async () => {
    const token = await tokenCachedAtOthers("adminops1");
    const adminops = createAdminService(ctx.db, a.settings, sessionRevocationHooks());
    await adminops.revokeUserTokens("adminops1");
    expect(await acceptedAfter(b, token)).toBe(!notified());
  });

  it("a logout at A: B's session check refuses the session within 100 ms", async () => {
    const session = await openSession("u1", "database");
    expect(await b.sessions.isActive(session.id)).toBe(true);
    expect(await c.sessions.isActive(session.id)).toBe(true);
    expect(await a.sessions.revoke(session.id, "logout")).toBe(true);
    expect(await stillTrueAfter(() => b.sessions.isActive(session.id))).toBe(!notified());
    expect(await stillTrueAfter(() => c.sessions.isActive(session.id))).toBe(true);
  });

  it("a users-file change at A (its sessions ended): B refuses them within 100 ms", async () => {
    const session = await openSession("fileuser", "file");
    expect(await b.sessions.isActive(session.id)).toBe(true);
    expect(await a.sessions.revokeUser("fileuser", "file", "user-removed")).toEqual([session.id]);
    expect(await stillTrueAfter(() => b.sessions.isActive(session.id))).toBe(!notified());
  });

  if (ctx.provider === "postgresql") {
    it("after the listening connection is killed, B listens again and refuses at once again", async () => {
      const listeners = () =>
        withClient(ctx.url, async (client) => {
          const { rows } = await client.query<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE datname = current_database()
               AND application_name = 'tokenleader-revocations' AND query LIKE 'LISTEN%'`,
          );
          return rows.map((row) => row.pid);
        });
      const before = await listeners();
      expect(before.length).toBeGreaterThan(0);
      await withClient(ctx.url, (client) =>
        client.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [before]),
      );
      // Back when as many listeners as before run, none of them the killed ones.
      const deadline = Date.now() + 5_000;
      let after = await listeners();
      while (
        (after.length < before.length || after.some((pid) => before.includes(pid))) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        after = await listeners();
      }
      expect(after).toHaveLength(before.length);
      expect(after.some((pid) => before.includes(pid))).toBe(false);

      const token = await tokenCachedAtOthers("reconnected1");
      await a.adminService.revokeUserTokens("reconnected1");
      expect(await acceptedAfter(b, token)).toBe(false);
      expect(await acceptedAfter(c, token)).toBe(true);
    });

    it("the listener logs when it listens and when it loses the connection; a foreign notice drops every cached answer", async () => {
      const lines: string[] = [];
      const log = {
        info: (_: object, message: string) => lines.push(`info: ${message}`),
        warn: (_: object, message: string) => lines.push(`warn: ${message}`),
      };
      const sessions = new SessionStore(ctx.db);
      const listener = await listenForRevocations(ctx.db, sessions, log);
      try {
        expect(lines).toEqual(["info: listening for database notifications"]);
        const session = await openSession("u1", "database");
        expect(await sessions.isActive(session.id)).toBe(true);
        // Ended behind the store's back (no notice), then a notice it cannot read.
        await ctx.db.prisma.loginSession.update({
          where: { id: session.id },
          data: { revokedAt: new Date() },
        });
        expect(await sessions.isActive(session.id)).toBe(true);
        await withClient(ctx.url, (client) =>
          client.query("SELECT pg_notify('tokenleader_revocations', 'something else')"),
        );
        expect(await stillTrueAfter(() => sessions.isActive(session.id))).toBe(false);

        lines.length = 0;
        await withClient(ctx.url, (client) =>
          client.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
              WHERE datname = current_database() AND application_name = 'tokenleader-revocations'`,
          ),
        );
        const deadline = Date.now() + 5_000;
        while (
          !lines.includes("info: listening for database notifications") &&
          Date.now() < deadline
        ) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(lines[0]).toMatch(/^warn: not listening for database notifications/);
        expect(lines).toContain("info: listening for database notifications");
      } finally {
        await listener.close();
      }
    });
  }
});

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

import { expect, it } from "vitest";
import { describeEachProvider } from "../../test/helpers/test-databases.js";
import { sessionRevocationHooks } from "./revocation-hooks.js";
import { SessionStore } from "./session-store.js";

describeEachProvider("SessionStore", (ctx) => {
  const inAnHour = () => new Date(Date.now() + 3_600_000);

  it("creates sessions that are active until revoked", async () => {
    const store = new SessionStore(ctx.db);
    const session = await store.create({
      username: "u1",
      source: "file",
      expiresAt: inAnHour(),
      refreshJti: "r1",
    });
    expect(session).toMatchObject({
      username: "u1",
      source: "file",
      refreshGeneration: 0,
      revokedAt: null,
    });
    expect(await store.isActive(session.id)).toBe(true);
    expect(await store.revoke(session.id, "logout")).toBe(true);
    expect(await store.isActive(session.id)).toBe(false);
    expect(await store.revoke(session.id, "logout")).toBe(false);
    expect((await store.find(session.id))?.revokedReason).toBe("logout");
  });

  it("rotates the refresh token exactly once per current jti (compare-and-set)", async () => {
    const store = new SessionStore(ctx.db);
    const session = await store.create({
      username: "u2",
      source: "database",
      expiresAt: inAnHour(),
      refreshJti: "a",
    });
    const results = await Promise.all([
      store.rotateRefresh(session.id, "a", "b1"),
      store.rotateRefresh(session.id, "a", "b2"),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const after = await store.find(session.id);
    expect(after?.refreshGeneration).toBe(1);
    expect(["b1", "b2"]).toContain(after?.refreshJti);
  });

  it("an expired session is not active, and unknown or malformed ids are not either", async () => {
    const store = new SessionStore(ctx.db);
    const session = await store.create({
      username: "u3",
      source: "file",
      expiresAt: new Date(Date.now() - 1000),
      refreshJti: "x",
    });
    expect(await store.isActive(session.id)).toBe(false);
    expect(await store.isActive("AAAAAAAAAAAAAAAAAAAAAA")).toBe(false);
    expect(await store.isActive("'; drop table x; --")).toBe(false);
  });

  it("a revocation by another process is seen once the short cache expires", async () => {
    let now = Date.now();
    const store = new SessionStore(ctx.db, { cacheTtlMs: 1000, now: () => now });
    const other = new SessionStore(ctx.db);
    const session = await store.create({
      username: "u4",
      source: "file",
      expiresAt: inAnHour(),
      refreshJti: "x",
    });
    expect(await store.isActive(session.id)).toBe(true);
    await other.revoke(session.id, "logout");
    expect(await store.isActive(session.id)).toBe(true);
    now += 1001;
    expect(await store.isActive(session.id)).toBe(false);
  });

  it("isTokenActive: bearer tokens (no sid) pass, refresh tokens never, session tokens while open", async () => {
    const store = new SessionStore(ctx.db);
    const session = await store.create({
      username: "u5",
      source: "file",
      expiresAt: inAnHour(),
      refreshJti: "x",
    });
    // Bearer tokens without a user behind them (no id, a user that does not exist) are not.
    expect(await store.isTokenActive({ sub: {}, iat: 1 })).toBe(false);
    expect(await store.isTokenActive({ sub: { id: 987654, username: "ghost" }, iat: 1 })).toBe(
      false,
    );
    expect(await store.isTokenActive({ sid: session.id, type: "access" })).toBe(true);
    expect(await store.isTokenActive({ sid: session.id, type: "refresh" })).toBe(false);
    expect(await store.isTokenActive({ sid: 42 })).toBe(false);
    await store.revokeUser("u5", "file", "user-removed");
    expect(await store.isTokenActive({ sid: session.id, type: "access" })).toBe(false);
  });

  it("revokeUser ends only that user's sessions of that source; the hook works inside a transaction", async () => {
    const store = new SessionStore(ctx.db);
    const mine = await store.create({
      username: "u6",
      source: "database",
      expiresAt: inAnHour(),
      refreshJti: "x",
    });
    const fileTwin = await store.create({
      username: "u6",
      source: "file",
      expiresAt: inAnHour(),
      refreshJti: "y",
    });
    const hooks = sessionRevocationHooks();
    await ctx.db.prisma.$transaction(async (tx) => {
      await hooks.onUserCredentialsChanged!("u6", {
        reason: "password_changed",
        tx,
        provider: ctx.provider,
      });
    });
    expect((await store.find(mine.id))?.revokedReason).toBe("password_changed");
    expect(await store.isActive(fileTwin.id)).toBe(true);
  });

  it("an answer cached while the revoking transaction was open is dropped after the commit", async () => {
    const store = new SessionStore(ctx.db);
    const session = await store.create({
      username: "u8",
      source: "database",
      expiresAt: inAnHour(),
      refreshJti: "x",
    });
    await ctx.db.prisma.$transaction(async (tx) => {
      await store.revokeUser("u8", "database", "password_changed", tx);
      // A request checked meanwhile: on PostgreSQL it sees the committed state ("active") and
      // caches it; SQLite's single connection already sees the transaction's own change.
      const meanwhile = await store.isActive(session.id);
      if (ctx.provider === "postgresql") expect(meanwhile).toBe(true);
    });
    if (ctx.provider === "postgresql") expect(await store.isActive(session.id)).toBe(true);
    store.forgetUser("u8");
    expect(await store.isActive(session.id)).toBe(false);
  });

  it("a rolled-back transaction keeps the sessions", async () => {
    const store = new SessionStore(ctx.db);
    const session = await store.create({
      username: "u7",
      source: "database",
      expiresAt: inAnHour(),
      refreshJti: "x",
    });
    await expect(
      ctx.db.prisma.$transaction(async (tx) => {
        await store.revokeUser("u7", "database", "deleted", tx);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await store.isActive(session.id)).toBe(true);
  });

  it("deleteEnded removes long-ended sessions only", async () => {
    const store = new SessionStore(ctx.db);
    const old = await store.create({
      username: "u8",
      source: "file",
      expiresAt: new Date(Date.now() - 10 * 86_400_000),
      refreshJti: "x",
    });
    const live = await store.create({
      username: "u8",
      source: "file",
      expiresAt: inAnHour(),
      refreshJti: "y",
    });
    expect(await store.deleteEnded(86_400_000)).toBeGreaterThanOrEqual(1);
    expect(await store.find(old.id)).toBeNull();
    expect(await store.find(live.id)).not.toBeNull();
  });
});

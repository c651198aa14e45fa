import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, expect, it } from "vitest";
import { listAuditEvents } from "../../src/audit/audit-query.js";
import type { Database } from "../../src/db/index.js";
import { describeEachProvider } from "../helpers/test-databases.js";
import { type AdminTestServer, createAdminTestServer } from "./helpers/admin-test-server.js";

// Key rotation through the admin API (issue 13): GET /list/keys, POST /rotate/key,
// POST /retire/key, behind the enforcer like every admin route, with the same refusals as
// `adminops keys`. The server keeps its keys in the database (as tokenleader-server does).

describeEachProvider("admin API: signing keys", (ctx) => {
  let server: AdminTestServer;
  let firstKid: string;
  let db: Database;

  beforeAll(async () => {
    db = (await ctx.createDatabase()).db;
    server = await createAdminTestServer({ db, databaseKeys: true });
    firstKid = server.keySet.signingKey.kid;
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  const call = (method: "GET" | "POST", url: string, token: string | null, payload?: object) =>
    server.app.inject({
      method,
      url,
      headers: token ? { "x-auth-token": token } : {},
      ...(payload ? { payload } : {}),
    });
  const jwksKids = async () =>
    (await call("GET", "/.well-known/jwks.json", null))
      .json()
      .keys.map((k: { kid: string }) => k.kid);
  const freshAdminToken = () => server.tokenFor("admin", "admin-password");

  it("is protected: no token 401, a role without the rule 403", async () => {
    expect((await call("GET", "/list/keys", null)).statusCode).toBe(401);
    expect((await call("POST", "/rotate/key", server.role1Token, {})).statusCode).toBe(403);
    expect(
      (await call("POST", "/retire/key", server.role1Token, { kid: firstKid })).statusCode,
    ).toBe(403);
  });

  it("refuses retiring the only signing key (409) and unknown kids (404)", async () => {
    const only = await call("POST", "/retire/key", server.adminToken, { kid: firstKid });
    expect(only.statusCode).toBe(409);
    expect(only.json()).toMatchObject({ code: "KEY_STILL_NEEDED" });
    expect(only.json().message).toContain("rotate first");
    const unknown = await call("POST", "/retire/key", server.adminToken, { kid: "nope" });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({
      code: "NOT_FOUND",
      message: 'no signing key has kid "nope"',
    });
  });

  it("refuses bad bodies naming the field", async () => {
    const cases: Array<[object, string]> = [
      [{ lead_time_seconds: -1 }, "lead_time_seconds"],
      [{ lead_time_seconds: "60" }, "lead_time_seconds"],
      [{ algorithm: "HS256" }, "algorithm"],
      [{ lead: 60 }, "lead"],
    ];
    for (const [body, field] of cases) {
      const response = await call("POST", "/rotate/key", server.adminToken, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().message, JSON.stringify(body)).toContain(field);
    }
    const noKid = await call("POST", "/retire/key", server.adminToken, {});
    expect(noKid.statusCode).toBe(400);
    expect(noKid.json().field).toBe("kid");
    expect((await call("GET", "/list/keys", server.adminToken)).json().status).toHaveLength(1);
  });

  it("rotate publishes a pending key; with lead time 0 it signs at once; list shows both", async () => {
    const pending = await call("POST", "/rotate/key", server.adminToken, {});
    expect(pending.statusCode).toBe(201);
    const pendingKey = pending.json().status;
    expect(pendingKey).toMatchObject({ state: "pending", algorithm: "RS512", origin: "rotated" });
    expect(Date.parse(pendingKey.activatesAt) - Date.now()).toBeGreaterThan(300_000);
    expect(await jwksKids()).toEqual([firstKid, pendingKey.kid]);
    expect(decodeProtectedHeader(await freshAdminToken()).kid).toBe(firstKid);

    const now = await call("POST", "/rotate/key", server.adminToken, {
      algorithm: "ES256",
      lead_time_seconds: 0,
    });
    expect(now.statusCode).toBe(201);
    const active = now.json().status;
    expect(active).toMatchObject({ state: "active-signing", algorithm: "ES256" });
    expect(decodeProtectedHeader(await freshAdminToken())).toMatchObject({
      alg: "ES256",
      kid: active.kid,
    });
    const listed = (await call("GET", "/list/keys", server.adminToken)).json().status;
    expect(listed.map((key: { kid: string; state: string }) => [key.kid, key.state])).toEqual([
      [firstKid, "published"],
      [pendingKey.kid, "pending"],
      [active.kid, "active-signing"],
    ]);
    // A token of the first key still opens the admin API and verifies.
    expect((await call("GET", "/list/keys", server.adminToken)).statusCode).toBe(200);
  });

  it("retire with published_for_seconds 0 refuses the key's tokens at once, everywhere", async () => {
    const oldToken = server.adminToken;
    // Verified (and so remembered by verify_token's cache of verified tokens) before the retire.
    expect((await call("GET", "/token/verify_token", oldToken)).statusCode).toBe(200);
    const retired = await call("POST", "/retire/key", await freshAdminToken(), {
      kid: firstKid,
      published_for_seconds: 0,
    });
    expect(retired.statusCode).toBe(200);
    expect(retired.json().status).toMatchObject({ kid: firstKid, state: "gone" });
    expect(await jwksKids()).not.toContain(firstKid);
    const verified = await call("GET", "/token/verify_token", oldToken);
    expect(verified.statusCode).toBe(401);
    expect(verified.json().status).toBe("Invalid token");
    expect((await call("GET", "/list/keys", oldToken)).statusCode).toBe(401);

    // The admin API caller is the audit actor.
    const events = await listAuditEvents(db, { limit: 100 });
    const keyEvents = events.filter((event) => event.type.startsWith("key."));
    expect(keyEvents.map((event) => [event.type, event.actor])).toEqual([
      ["key.rotated", "admin"],
      ["key.rotated", "admin"],
      ["key.retired", "admin"],
    ]);
  });
});

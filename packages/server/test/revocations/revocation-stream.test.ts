import type { AddressInfo } from "node:net";
import { createEnforcer, type Enforcer } from "@tokenleader/enforcer";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminRoutesPlugin } from "../../src/http/admin/index.js";
import {
  pruneRevocationEvents,
  readRevocationEvents,
  readRevocationSnapshot,
} from "../../src/sessions/revocation-events.js";
import {
  type AdminTestServer,
  createAdminTestServer,
  SHIPPED_ACL_FILE,
} from "../admin/helpers/admin-test-server.js";
import { describeEachProvider } from "../helpers/test-databases.js";
import { createTestServer, type TestServer } from "../helpers/test-server.js";

// Issue 17 point 4: a local-mode enforcer (JWKS, no call per request) that follows the server's
// GET /revocations/stream refuses a revoked user's token within 1 s — also when the revocation was
// made by another server instance on the same database, when the enforcer was disconnected at the
// time, and when its cursor is older than the kept events (resync).

const RULE = "inventory.items.read";
const quiet = { error() {}, warn() {}, info() {} };
const FOLLOWER = { username: "follower", password: "follower-secret" };

describeEachProvider("revocations pushed to local-mode enforcers", (ctx) => {
  let primary: AdminTestServer;
  let url: string;
  const closers: Array<() => Promise<void> | void> = [];

  beforeAll(async () => {
    primary = await createAdminTestServer({ db: ctx.db });
    await primary.adminService.addRole("revocation-follower");
    await primary.adminService.addUser({
      username: FOLLOWER.username,
      password: FOLLOWER.password,
      email: null,
      roles: ["revocation-follower"],
      wfc: "wfc1",
    });
    url = await primary.app.listen({ host: "127.0.0.1", port: 0 });
  }, 60_000);

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  afterAll(async () => {
    await primary?.close();
  });

  /** Another server process's worth of app on the same database (its own caches and streams). */
  async function startInstance(listenPort = 0): Promise<{ server: TestServer; url: string }> {
    const server = await createTestServer({
      db: ctx.db,
      ini: { enforcer: { role_to_acl_map_file: SHIPPED_ACL_FILE } },
      plugins: [adminRoutesPlugin],
    });
    const instanceUrl = await server.app.listen({ host: "127.0.0.1", port: listenPort });
    return { server, url: instanceUrl };
  }

  async function addUser(username: string): Promise<string> {
    await primary.adminService.addUser({
      username,
      password: `${username}-secret`,
      email: null,
      roles: ["role1"],
      wfc: "wfc1",
    });
    return primary.tokenFor(username, `${username}-secret`);
  }

  function followingEnforcer(streamUrl: string): Enforcer {
    const enforcer = createEnforcer({
      jwksUrl: `${url}/.well-known/jwks.json`,
      roleToAclMap: [{ name: "role1", allow: [RULE] }],
      revocations: {
        url: `${streamUrl}/revocations/stream`,
        credentials: FOLLOWER,
        retryMs: 100,
        maxRetryMs: 500,
      },
      logger: quiet,
    });
    closers.push(() => enforcer.close());
    return enforcer;
  }

  async function allowed(enforcer: Enforcer, token: string): Promise<boolean> {
    const result = await enforcer.check(
      { method: "GET", headers: { "x-auth-token": token } },
      RULE,
    );
    return result.allowed;
  }

  async function revoke(baseUrl: string, username: string): Promise<void> {
    const response = await fetch(`${baseUrl}/revoke/user`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-auth-token": primary.adminToken },
      body: JSON.stringify({ username }),
    });
    expect(response.status).toBe(200);
  }

  /** Polls until the enforcer refuses `token`; returns how long that took after `since`. */
  async function refusedAfter(enforcer: Enforcer, token: string, since: number): Promise<number> {
    const deadline = Date.now() + 20_000;
    while (await allowed(enforcer, token)) {
      if (Date.now() > deadline) throw new Error("the token was still accepted after 20 s");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return Date.now() - since;
  }

  it("refuses a user's token within 1 s of POST /revoke/user, with no call per request", async () => {
    const token = await addUser("alice");
    const enforcer = followingEnforcer(url);
    await enforcer.revocations!.ready();
    expect(await allowed(enforcer, token)).toBe(true);

    const revokedAt = Date.now();
    await revoke(url, "alice");
    expect(await refusedAfter(enforcer, token, revokedAt)).toBeLessThan(1000);
    const denial = await enforcer.check(
      { method: "GET", headers: { "x-auth-token": token } },
      RULE,
    );
    expect(denial).toMatchObject({ allowed: false, code: "TOKEN_REVOKED" });
    // A token issued after the revocation passes.
    expect(await allowed(enforcer, await primary.tokenFor("alice", "alice-secret"))).toBe(true);
  });

  it("publishes a revocation made by another instance on the same database", async () => {
    const token = await addUser("bob");
    const other = await startInstance();
    closers.push(() => other.server.close());
    const enforcer = followingEnforcer(url);
    await enforcer.revocations!.ready();
    expect(await allowed(enforcer, token)).toBe(true);

    const revokedAt = Date.now();
    await revoke(other.url, "bob");
    expect(await refusedAfter(enforcer, token, revokedAt)).toBeLessThan(1000);
  });

  it("refuses the token once reconnected when the revocation happened while it was disconnected", async () => {
    const token = await addUser("carol");
    const first = await startInstance();
    const enforcer = followingEnforcer(first.url);
    await enforcer.revocations!.ready();
    expect(await allowed(enforcer, token)).toBe(true);

    // The instance it follows stops; the revocation is made elsewhere meanwhile.
    const followedPort = (first.server.app.server.address() as AddressInfo).port;
    await first.server.close();
    await waitFor(() => !enforcer.revocations!.connected());
    await revoke(url, "carol");

    const restarted = await startInstance(followedPort);
    closers.push(() => restarted.server.close());
    await refusedAfter(enforcer, token, Date.now());
    expect(await allowed(enforcer, token)).toBe(false);
  });

  it("sends a resync with the current state when the cursor is older than the kept events", async () => {
    const [daveToken, erinToken] = [await addUser("dave"), await addUser("erin")];
    const first = await startInstance();
    const enforcer = followingEnforcer(first.url);
    await enforcer.revocations!.ready();
    await revoke(url, "dave");
    await refusedAfter(enforcer, daveToken, Date.now());

    const followedPort = (first.server.app.server.address() as AddressInfo).port;
    await first.server.close();
    await waitFor(() => !enforcer.revocations!.connected());
    await revoke(url, "erin");
    await revoke(url, "alice");
    // Every event but the newest is pruned: the follower's cursor (dave's event) is too old.
    expect(await pruneRevocationEvents(ctx.db, 0, Date.now() + 60_000)).toBeGreaterThan(0);

    const restarted = await startInstance(followedPort);
    closers.push(() => restarted.server.close());
    // erin's event is gone: only the resync's snapshot can tell the enforcer about her.
    await refusedAfter(enforcer, erinToken, Date.now());
    expect(await allowed(enforcer, daveToken)).toBe(false);

    // The stream itself: an old cursor gets `event: resync` first.
    const response = await fetch(`${url}/revocations/stream`, {
      headers: { "x-auth-token": primary.adminToken, "last-event-id": "1" },
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await readUntil(response, "\n\n", "event:");
    expect(text).toMatch(/event: resync\ndata: \{"users":\[/);
    expect(text).toContain('"username":"erin"');
  });

  it("publishes ended login sessions: a logout, and a users-file user's sessions", async () => {
    const { sessions } = primary;
    const expiresAt = new Date(Date.now() + 3_600_000);
    const loggedOut = await sessions.create({
      username: "u1",
      source: "database",
      expiresAt,
      refreshJti: "j1",
    });
    const fileUser = await sessions.create({
      username: "yaml-user",
      source: "file",
      expiresAt,
      refreshJti: "j2",
    });
    const before = await readRevocationSnapshot(ctx.db);
    await sessions.revoke(loggedOut.id, "logout");
    await sessions.revokeUser("yaml-user", "file", "user-removed");
    const events = await readRevocationEvents(ctx.db, before.id);
    expect(events.map((event) => event.data)).toEqual([
      { type: "session", sid: loggedOut.id },
      { type: "session", sid: fileUser.id },
    ]);
    const after = await readRevocationSnapshot(ctx.db);
    expect(after.sessions).toEqual(expect.arrayContaining([loggedOut.id, fileUser.id]));
  });

  it("refuses followers without the rule, and anonymous ones", async () => {
    const anonymous = await fetch(`${url}/revocations/stream`);
    expect(anonymous.status).toBe(401);
    const role1 = await fetch(`${url}/revocations/stream`, {
      headers: { "x-auth-token": primary.role1Token },
    });
    expect(role1.status).toBe(403);
  });
});

describe("the revocations option", () => {
  it("is refused with remote verification, and needs a token or credentials", () => {
    const base = { roleToAclMap: [{ name: "r", allow: [RULE] }], logger: quiet };
    expect(() =>
      createEnforcer({
        ...base,
        remoteVerifyUrl: "http://127.0.0.1:1/token/verify_token",
        revocations: { url: "http://127.0.0.1:1/revocations/stream", token: "t" },
      }),
    ).toThrow(/revocations is for local verification/);
    expect(() =>
      createEnforcer({
        ...base,
        jwksUrl: "http://127.0.0.1:1/.well-known/jwks.json",
        issuer: "x",
        revocations: { url: "http://127.0.0.1:1/revocations/stream" },
      }),
    ).toThrow(/exactly one of token and credentials/);
    expect(() =>
      createEnforcer({
        ...base,
        jwksUrl: "http://127.0.0.1:1/.well-known/jwks.json",
        issuer: "x",
        revocations: { url: "not a url", token: "t" },
      }),
    ).toThrow(/revocations\.url is not a valid URL/);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met within 20 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Reads the body until a message containing `marker` has ended; then stops reading. */
async function readUntil(response: Response, end: string, marker: string): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  const reader = response.body!.getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return text;
      text += decoder.decode(value, { stream: true });
      const at = text.indexOf(marker);
      if (at >= 0 && text.indexOf(end, at) >= 0) return text;
    }
  } finally {
    await reader.cancel();
  }
}

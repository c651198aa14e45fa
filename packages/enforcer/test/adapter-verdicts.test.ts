import Fastify from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnforcer as createFastifyEnforcer } from "../src/fastify.js";
import type { EnforcerOptions } from "../src/index.js";
import { ADAPTERS, call, type RunningApp, startApp } from "./support/apps.js";
import { generateSigningKey, mintToken, TEST_ISSUER } from "./support/tokens.js";

// The adapters apply a verdict at once when it needed no waiting, and through a promise when it
// did (an asynchronous isTokenActive): both ways must admit, deny and hand the host's errors on
// alike.

const key = generateSigningKey();
const acl = [{ name: "role1", allow: ["r"] }];
const base: EnforcerOptions = { roleToAclMap: acl, publicKey: key.publicPem, issuer: TEST_ISSUER };
const route = [{ method: "GET" as const, path: "/r", rule: "r" }];

/** What a host's session store does when its database is down: an error meant to be a 503. */
function outage(): Error {
  return Object.assign(new Error("the session store is unavailable"), {
    status: 503,
    statusCode: 503,
  });
}

describe.each(ADAPTERS)("%s adapter: verdicts with and without waiting", (adapter) => {
  const apps: Record<string, RunningApp> = {};
  beforeAll(async () => {
    const checks: Record<string, EnforcerOptions["isTokenActive"]> = {
      syncActive: (claims) => claims.sid !== "ended",
      asyncActive: async (claims) => claims.sid !== "ended",
      syncThrows: () => {
        throw outage();
      },
      asyncRejects: async () => {
        throw outage();
      },
    };
    for (const [name, isTokenActive] of Object.entries(checks)) {
      apps[name] = await startApp(adapter, { ...base, isTokenActive }, route);
    }
  });
  afterAll(async () => {
    await Promise.all(Object.values(apps).map((app) => app.close()));
  });

  const get = async (app: RunningApp, sid: string) =>
    call(`${app.url}/r`, {
      headers: { "X-Auth-Token": await mintToken(key, { roles: ["role1"], extraClaims: { sid } }) },
    });

  it.each(["syncActive", "asyncActive"])(
    "with %s: admits an active session and refuses an ended one",
    async (name) => {
      const admitted = await get(apps[name]!, "s1");
      expect(admitted.status).toBe(200);
      expect(admitted.json().wfc.username).toBe("user1");
      const refused = await get(apps[name]!, "ended");
      expect(refused.status).toBe(401);
      expect(refused.json().code).toBe("TOKEN_REVOKED");
    },
  );

  it.each(["syncThrows", "asyncRejects"])(
    "with %s: the host's error reaches the framework's error handling (503, not a 401)",
    async (name) => {
      expect((await get(apps[name]!, "s1")).status).toBe(503);
    },
  );
});

describe("Fastify enforce(rule) called from a host's own async hook", () => {
  const enforcer = createFastifyEnforcer(base);
  const app = Fastify();
  beforeAll(async () => {
    await app.register(enforcer.plugin);
    const guard = enforcer.enforce("r");
    app.get(
      "/r",
      {
        // The preHandler's type is an async hook: called with two arguments it gives a promise.
        preHandler: async function hostHook(request, reply) {
          const pending = guard.call(this, request, reply);
          expect(pending).toBeInstanceOf(Promise);
          await pending;
        },
      },
      async (request) => ({ username: request.wfc?.username ?? null }),
    );
    await app.ready();
  });
  afterAll(() => app.close());

  it("admits and denies as the preHandler itself would", async () => {
    const token = await mintToken(key, { roles: ["role1"] });
    const admitted = await app.inject({ url: "/r", headers: { "x-auth-token": token } });
    expect(admitted.statusCode).toBe(200);
    expect(admitted.json()).toEqual({ username: "user1" });
    const other = await mintToken(key, { roles: ["role2"] });
    const denied = await app.inject({ url: "/r", headers: { "x-auth-token": other } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe("RULE_NOT_GRANTED");
  });
});

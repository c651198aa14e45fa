import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildServer } from "../src/http/index.js";
import { createAdminService } from "../src/services/index.js";
import { SessionStore, sessionRevocationHooks } from "../src/sessions/index.js";
import { describeEachProvider } from "./helpers/test-databases.js";
import { createTestServer, seedUsers, type TestServer } from "./helpers/test-server.js";

// Each app checks revocations with the session store of its own context, built with the options
// given: two apps in one process on one database behave like two server processes (each its own
// cache), not like one app with a store shared through the Database object.

describeEachProvider("the app's own session store", (ctx) => {
  let first: TestServer;
  let second: FastifyInstance;
  let secondClock = 1_800_000_000_000;

  beforeAll(async () => {
    first = await createTestServer({ db: ctx.db });
    await seedUsers(first.adminService, [{ username: "u1", password: "u1-password" }]);
    const sessions = new SessionStore(ctx.db, { cacheTtlMs: 2000, now: () => secondClock });
    second = buildServer(first.settings, {
      db: ctx.db,
      keySet: first.keySet,
      adminService: createAdminService(ctx.db, first.settings, sessionRevocationHooks(sessions)),
      sessions,
      // Revocation notices (PostgreSQL) would end it at once: see revocation-notices.test.ts.
      // Here the fallback is under test, the caches' maximum age.
      listenForRevocations: false,
    });
    await second.ready();
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  const verify = (app: FastifyInstance, token: string) =>
    app
      .inject({ method: "GET", url: "/token/verify_token", headers: { "X-Auth-Token": token } })
      .then((response) => response.statusCode);

  it("a password change through one app ends the token there at once, in the other after its cache time", async () => {
    const issued = await first.app.inject({
      method: "POST",
      url: "/token/gettoken",
      payload: { username: "u1", password: "u1-password" },
    });
    expect(issued.statusCode).toBe(201);
    const token: string = issued.json().auth_token;
    expect(await verify(first.app, token)).toBe(200);
    expect(await verify(second, token)).toBe(200);

    await first.adminService.updateUser({ username: "u1", password: "u1-new-password" });

    expect(await verify(first.app, token)).toBe(401);
    // The second app's store still holds its answer from before the change (as another server
    // process would), for the cache time it was built with.
    secondClock += 1999;
    expect(await verify(second, token)).toBe(200);
    secondClock += 2;
    expect(await verify(second, token)).toBe(401);
  });
});

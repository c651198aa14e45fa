import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminRoutesPlugin } from "../../src/http/admin/index.js";
import type { ServerPlugin } from "../../src/http/index.js";
import { describeEachProvider } from "../helpers/test-databases.js";
import { type AdminTestServer, createAdminTestServer } from "./helpers/admin-test-server.js";

// The admin API's enforcer reports the caller's address as Fastify determines it, so
// `[server] trust_proxy` decides whether X-Forwarded-For is believed, for admin handlers too.

describeEachProvider("wfc.clientAddress in admin handlers", (ctx) => {
  const seen: (string | null)[] = [];
  // Records what an admin handler would read from request.wfc, in the admin routes' own scope.
  const recordingAdminRoutes: ServerPlugin = async (app, context) => {
    app.addHook("onResponse", async (request) => {
      seen.push(request.wfc?.clientAddress ?? null);
    });
    await adminRoutesPlugin(app, context);
  };

  const clientAddressOf = async (server: AdminTestServer, forwardedFor: string) => {
    seen.length = 0;
    const response = await server.app.inject({
      method: "GET",
      url: "/list/users",
      headers: { "x-auth-token": server.adminToken, "x-forwarded-for": forwardedFor },
      remoteAddress: "127.0.0.1",
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(seen).toHaveLength(1);
    return seen[0];
  };

  describe("with trust_proxy unset", () => {
    let server: AdminTestServer;
    beforeAll(async () => {
      server = await createAdminTestServer({ db: ctx.db, plugins: [recordingAdminRoutes] });
    });
    afterAll(async () => {
      await server?.close();
    });

    it("is the socket peer; X-Forwarded-For is ignored", async () => {
      expect(await clientAddressOf(server, "203.0.113.7")).toBe("127.0.0.1");
    });
  });

  describe("with trust_proxy = the proxy's address", () => {
    let server: AdminTestServer;
    beforeAll(async () => {
      server = await createAdminTestServer({
        db: (await ctx.createDatabase()).db,
        trustProxy: "127.0.0.1",
        plugins: [recordingAdminRoutes],
      });
    });
    afterAll(async () => {
      await server?.close();
    });

    it("is the address the trusted proxy appended, not what the client put in front", async () => {
      expect(await clientAddressOf(server, "203.0.113.7")).toBe("203.0.113.7");
      expect(await clientAddressOf(server, "6.6.6.6, 203.0.113.7")).toBe("203.0.113.7");
    });
  });
});

import { createPublicKey } from "node:crypto";
import { decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachProvider } from "./helpers/test-databases.js";
import { createTestServer, seedUsers, type TestServer } from "./helpers/test-server.js";

// Issue 17: `service` of POST /token/gettoken (the token's `aud`, from the service catalog),
// `?audience=` of GET /token/verify_token, and `[token] profile = standard` (string `sub`, the
// user object in the `tokenleader` claim) read back by /token/verify_token.

const USER = { username: "user1", password: "user1-password" };

function gettoken(server: TestServer, body: Record<string, unknown>) {
  return server.app.inject({ method: "POST", url: "/token/gettoken", payload: body });
}

async function verify(server: TestServer, token: string, query = "") {
  const response = await server.app.inject({
    method: "GET",
    url: `/token/verify_token${query}`,
    headers: { "x-auth-token": token },
  });
  return { statusCode: response.statusCode, body: response.json() };
}

async function seed(server: TestServer): Promise<void> {
  if (await server.adminService.getUser(USER.username)) return;
  await seedUsers(server.adminService, [{ ...USER, roles: ["role1"] }]);
  for (const name of ["inventory", "billing"]) {
    await server.adminService.addService({ name, urlInternal: `http://${name}.internal` });
  }
}

describeEachProvider("tokens for one service and the standard profile", (ctx) => {
  describe("default profile", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await createTestServer({ db: ctx.db });
      await seed(server);
    });
    afterAll(async () => {
      await server?.close();
    });

    it("service: the token carries aud = the service's catalog name", async () => {
      const response = await gettoken(server, { ...USER, service: "inventory" });
      expect(response.statusCode).toBe(201);
      const claims = decodeJwt(response.json().auth_token);
      expect(claims.aud).toBe("inventory");
      expect(claims.sub).toMatchObject({ username: "user1", roles: ["role1"] });
    });

    it("no service (absent or null): no aud, as before", async () => {
      for (const body of [USER, { ...USER, service: null }]) {
        const response = await gettoken(server, body);
        expect(response.statusCode).toBe(201);
        expect(decodeJwt(response.json().auth_token).aud).toBeUndefined();
      }
    });

    it("an unknown service: 400 naming it, and no token", async () => {
      const response = await gettoken(server, { ...USER, service: "payroll" });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: "VALIDATION_FAILED",
        message: 'service "payroll" is not in the service catalog',
      });
      expect(response.body).not.toMatch(/auth_token/);
    });

    it("a wrong password with an unknown service is a wrong password (the catalog is not told)", async () => {
      const response = await gettoken(server, {
        ...USER,
        password: "wrong-pw",
        service: "payroll",
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().status).toBe("Wrong Password");
    });

    it("a service that is not a string: 400", async () => {
      const response = await gettoken(server, { ...USER, service: 42 });
      expect(response.statusCode).toBe(400);
    });

    it("verify_token accepts tokens with aud; ?audience= accepts only that service's", async () => {
      const forInventory = (await gettoken(server, { ...USER, service: "inventory" })).json()
        .auth_token as string;
      const forNone = (await gettoken(server, USER)).json().auth_token as string;
      expect((await verify(server, forInventory)).statusCode).toBe(200);
      expect((await verify(server, forInventory, "?audience=inventory")).statusCode).toBe(200);
      for (const [token, query] of [
        [forInventory, "?audience=billing"],
        [forNone, "?audience=inventory"],
      ] as const) {
        const { statusCode, body } = await verify(server, token, query);
        expect(statusCode).toBe(401);
        expect(body.status).toBe("Invalid token");
      }
    });
  });

  describe("[token] profile = standard", () => {
    let server: TestServer;
    beforeAll(async () => {
      const database = await ctx.createDatabase();
      server = await createTestServer({
        db: database.db,
        ini: { token: { profile: "standard" } },
      });
      await seed(server);
    });
    afterAll(async () => {
      await server?.close();
    });

    it("sub is the user id (a string), the user object is in the tokenleader claim; jose's jwtVerify accepts it", async () => {
      expect(server.settings.token.profile).toBe("standard");
      const token = (await gettoken(server, { ...USER, service: "billing" })).json()
        .auth_token as string;
      const publicKey = createPublicKey(server.keySet.signingKey.privateKey);
      const { payload } = await jwtVerify(token, publicKey, {
        issuer: server.settings.token.issuer,
        audience: "billing",
      });
      const user = (await server.adminService.getUser("user1"))!;
      expect(payload.sub).toBe(String(user.id));
      expect(payload["tokenleader"]).toMatchObject({ id: user.id, username: "user1" });
    });

    it("verify_token answers with the user object in sub, as for tokenleader-profile tokens", async () => {
      const token = (await gettoken(server, USER)).json().auth_token as string;
      const { statusCode, body } = await verify(server, token);
      expect(statusCode).toBe(200);
      expect(body.payload.sub).toMatchObject({ username: "user1", roles: ["role1"] });
      expect(body.payload.tokenleader).toBeUndefined();
    });

    it("revoking the user's tokens refuses a standard-profile token too (its tva)", async () => {
      const token = (await gettoken(server, USER)).json().auth_token as string;
      expect((await verify(server, token)).statusCode).toBe(200);
      await server.adminService.revokeUserTokens("user1");
      expect((await verify(server, token)).statusCode).toBe(401);
    });
  });
});

import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachProvider } from "./helpers/test-databases.js";
import { createTestServer, seedUsers, type TestServer } from "./helpers/test-server.js";

// Tokens signed with the server's own key but with the wrong issuer or times (issue 12): the key
// alone does not make a token good. GET /token/verify_token keeps the original's wire strings.

const INVALID = {
  status: "Invalid token",
  message: "Invalid token. obtain a valid token and send it for verifiaction",
  payload: "Invalid token. Please log in again.",
};
const YEAR_2100 = Math.floor(Date.UTC(2100, 0, 1) / 1000);

async function signWith(server: TestServer, claims: Record<string, unknown>): Promise<string> {
  const { privateKey, kid, algorithm } = server.keySet.signingKey;
  const { id, roles } = (await server.adminService.getUser("user1"))!;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iat: now,
    exp: now + 600,
    sub: { id, username: "user1", email: null, roles, wfc: null },
    ...claims,
  } as never)
    .setProtectedHeader({ alg: algorithm, typ: "JWT", kid })
    .sign(privateKey);
}

async function verify(server: TestServer, token: string) {
  const response = await server.app.inject({
    method: "GET",
    url: "/token/verify_token",
    headers: { "x-auth-token": token },
  });
  return { statusCode: response.statusCode, body: response.json() };
}

describeEachProvider("token claims at /token/verify_token", (ctx) => {
  describe("default settings", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await createTestServer({ db: ctx.db });
      // Both blocks share the database: whichever runs first creates the user.
      if (!(await server.adminService.getUser("user1"))) {
        await seedUsers(server.adminService, [{ username: "user1", password: "user1-password" }]);
      }
    });
    afterAll(async () => {
      await server?.close();
    });
    const issuer = () => server.settings.token.issuer;

    it("accepts the server's issuer", async () => {
      const { statusCode, body } = await verify(server, await signWith(server, { iss: issuer() }));
      expect(statusCode).toBe(200);
      expect(body.status).toBe("Verification Successful");
    });

    it("refuses another issuer and a missing one", async () => {
      for (const claims of [{ iss: "https://evil.example" }, { iss: `${issuer()}/` }, {}]) {
        const result = await verify(server, await signWith(server, claims));
        expect(result, JSON.stringify(claims)).toEqual({ statusCode: 401, body: INVALID });
      }
    });

    it("refuses an iat in the year 2100", async () => {
      const token = await signWith(server, { iss: issuer(), iat: YEAR_2100, exp: YEAR_2100 + 60 });
      expect(await verify(server, token)).toEqual({ statusCode: 401, body: INVALID });
    });

    it("refuses an nbf beyond the 60 s leeway, accepts one within it", async () => {
      const now = Math.floor(Date.now() / 1000);
      const far = await signWith(server, { iss: issuer(), nbf: now + 300 });
      expect(await verify(server, far)).toEqual({ statusCode: 401, body: INVALID });
      const near = await signWith(server, { iss: issuer(), nbf: now + 20, iat: now + 20 });
      expect((await verify(server, near)).body.status).toBe("Verification Successful");
    });
  });

  describe("accept_tokens_without_issuer = yes, clock_leeway_seconds = 5", () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await createTestServer({
        db: ctx.db,
        ini: { token: { accept_tokens_without_issuer: "yes", clock_leeway_seconds: "5" } },
      });
      // Both blocks share the database: whichever runs first creates the user.
      if (!(await server.adminService.getUser("user1"))) {
        await seedUsers(server.adminService, [{ username: "user1", password: "user1-password" }]);
      }
    });
    afterAll(async () => {
      await server?.close();
    });

    it("accepts a token without iss, still refuses another issuer", async () => {
      expect((await verify(server, await signWith(server, {}))).body.status).toBe(
        "Verification Successful",
      );
      const foreign = await signWith(server, { iss: "https://evil.example" });
      expect(await verify(server, foreign)).toEqual({ statusCode: 401, body: INVALID });
    });

    it("uses the configured leeway", async () => {
      const now = Math.floor(Date.now() / 1000);
      const token = await signWith(server, { iat: now + 20 });
      expect(await verify(server, token)).toEqual({ statusCode: 401, body: INVALID });
    });
  });
});

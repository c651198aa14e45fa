import { createHmac, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatOpenSshPublicKey } from "@tokenleader/client";
import { decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTokenIssuer } from "../src/tokens/index.js";
import {
  DEVELOPER_SSH_RSA_PUBLIC_KEY,
  EXPIRED_REFERENCE_JWT,
} from "./helpers/reference-vectors.js";
import { describeEachProvider } from "./helpers/test-databases.js";
import { createTestServer, seedUsers, type TestServer } from "./helpers/test-server.js";

// Wire behaviour of POST /token/gettoken and GET /token/verify_token (reference §3.2, §3.3),
// with this project's status codes, on both database providers.

const MISSING = {
  status: "missing authentication info ",
  message: "no authentication information provided",
};
const UNKNOWN_USER = {
  status: "User not registered",
  message: "user not found, not registered yet",
};
const WRONG_PASSWORD = { status: "Wrong Password", message: "Password did not match" };
const INVALID = {
  status: "Invalid token",
  message: "Invalid token. obtain a valid token and send it for verifiaction",
  payload: "Invalid token. Please log in again.",
};
const EXPIRED = {
  status: "Signature expired",
  message: "Signature expired. Please log in and get a fresh token and send it for reverify.",
  payload: "Signature expired. Please log in again.",
};
const HEADER_MISSING = {
  status: "request header  missing 'X-Auth-Token' key or token value",
  message:
    "The request header must carry a 'X-Auth-Token' key whose value should be a valid JWT token  ",
  payload: {},
};

describeEachProvider("token routes", (ctx) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await createTestServer({ db: ctx.db });
    await seedUsers(server.adminService, [
      { username: "user1", password: "user1-password", email: "user1@example.org" },
      { username: "noroles", password: "noroles-password", roles: [] },
    ]);
  });
  afterAll(async () => {
    await server?.close();
  });

  const getToken = (body: unknown, headers: Record<string, string> = {}) =>
    server.app.inject({
      method: "POST",
      url: "/token/gettoken",
      headers: { "content-type": "application/json", ...headers },
      payload: typeof body === "string" ? body : JSON.stringify(body),
    });
  const verify = (headers: Record<string, string>) =>
    server.app.inject({ method: "GET", url: "/token/verify_token", headers });

  async function tokenFor(username = "user1", password = "user1-password"): Promise<string> {
    const response = await getToken({ username, password });
    expect(response.statusCode).toBe(201);
    return response.json().auth_token;
  }

  describe("POST /token/gettoken", () => {
    it("success: 201 with exactly status, message, auth_token, service_catalog", async () => {
      const response = await getToken({ username: "user1", password: "user1-password" });
      expect(response.statusCode).toBe(201);
      expect(response.headers["content-type"]).toMatch(/^application\/json/);
      expect(response.headers["cache-control"]).toBe("no-store");
      const body = response.json();
      expect(Object.keys(body).sort()).toEqual([
        "auth_token",
        "message",
        "service_catalog",
        "status",
      ]);
      expect(body).toMatchObject({ status: "success", message: "success", service_catalog: {} });

      const header = decodeProtectedHeader(body.auth_token);
      expect(header).toEqual({ alg: "RS512", typ: "JWT", kid: server.keySet.signingKey.kid });
      const claims = decodeJwt(body.auth_token) as Record<string, unknown>;
      expect(Number.isInteger(claims.iat)).toBe(true);
      expect(claims.exp).toBe((claims.iat as number) + 3600);
      expect(Math.abs((claims.iat as number) - Date.now() / 1000)).toBeLessThan(10);
      expect(claims.iss).toBe(server.settings.token.issuer);
      expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
      expect(claims.sub).toEqual({
        id: expect.any(Number),
        username: "user1",
        email: "user1@example.org",
        roles: ["role1"],
        wfc: {
          id: expect.any(Number),
          name: "wfc1",
          org: "org1",
          orgunit: "ou1",
          department: "dept1",
        },
      });
    });

    it("returns the service catalog keyed by name, as in the original's test", async () => {
      await server.adminService.addService({
        name: "microservice1",
        urlInternal: "localhost/5000",
        urlExternal: "localhost/5000",
        urlAdmin: "localhost/5000",
      });
      const body = (await getToken({ username: "user1", password: "user1-password" })).json();
      expect(body.service_catalog).toEqual({
        microservice1: {
          id: expect.any(Number),
          name: "microservice1",
          endpoint_url_internal: "localhost/5000",
          endpoint_url_external: "localhost/5000",
          endpoint_url_admin: "localhost/5000",
        },
      });
      await server.adminService.deleteService("microservice1");
    });

    it("a user without roles gets a token with roles []", async () => {
      const claims = decodeJwt(await tokenFor("noroles", "noroles-password")) as {
        sub: { roles: unknown };
      };
      expect(claims.sub.roles).toEqual([]);
    });

    it.each([
      ["username", { username: null, password: "x" }],
      ["password", { username: "user1", password: null }],
      ["both", { username: null, password: null }],
    ])(
      "null %s: 400 with the original's 'missing authentication info ' body",
      async (_which, body) => {
        const response = await getToken(body);
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual(MISSING);
      },
    );

    it("unknown user: 401 'User not registered'", async () => {
      const response = await getToken({ username: "nobody", password: "whatever" });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(UNKNOWN_USER);
    });

    it("wrong password: 401 'Wrong Password'", async () => {
      const response = await getToken({ username: "user1", password: "wrong" });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(WRONG_PASSWORD);
    });

    it("unknown user and wrong password take about the same time (no user enumeration by timing)", async () => {
      const time = async (body: object) => {
        const started = performance.now();
        await getToken(body);
        return performance.now() - started;
      };
      await time({ username: "nobody", password: "x" }); // warm-up
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const unknown: number[] = [];
      const wrong: number[] = [];
      for (let i = 0; i < 5; i++) {
        unknown.push(await time({ username: "nobody", password: "x" }));
        wrong.push(await time({ username: "user1", password: "x" }));
      }
      // A skipped hash would make unknown users ~50x faster; allow generous noise (a loaded
      // 2-core machine has shown ratios near 0.3).
      const ratio = median(unknown) / median(wrong);
      expect(ratio).toBeGreaterThan(0.15);
      expect(ratio).toBeLessThan(5);
    });

    it.each([
      ["a missing key", { username: "user1" }, /password/],
      ["a non-string value", { username: 12345, password: "x" }, /username/],
      ["an array body", [{ username: "user1", password: "x" }], /object/],
      ["a JSON string body", '"user1"', /object/],
    ])("%s: 400 naming the problem", async (_what, body, problem) => {
      const response = await getToken(body);
      expect(response.statusCode).toBe(400);
      const json = response.json();
      expect(json).toMatchObject({ status: expect.any(String), code: "VALIDATION_FAILED" });
      expect(json.message).toMatch(problem);
    });

    it("malformed JSON: 400 JSON saying so", async () => {
      const response = await getToken('{"username": "user1", ');
      expect(response.statusCode).toBe(400);
      expect(response.headers["content-type"]).toMatch(/^application\/json/);
      expect(response.json().message).toMatch(/not valid JSON/);
    });

    it("prototype-poisoning keys: 400 saying the key is refused (not 'invalid JSON')", async () => {
      const response = await getToken('{"username": "u", "password": "p", "__proto__": {"x": 1}}');
      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(/forbidden key \(__proto__/);
    });

    it("no JSON content type: 400 asking for application/json", async () => {
      const form = await server.app.inject({
        method: "POST",
        url: "/token/gettoken",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: "username=user1&password=user1-password",
      });
      expect(form.statusCode).toBe(400);
      expect(form.json().message).toMatch(/Content-Type: application\/json/);

      const none = await server.app.inject({ method: "POST", url: "/token/gettoken" });
      expect(none.statusCode).toBe(400);
      expect(none.json().code).toBe("VALIDATION_FAILED");
    });

    it("a JSON body sent as text/plain (fetch's default): 400 asking for application/json", async () => {
      const response = await server.app.inject({
        method: "POST",
        url: "/token/gettoken",
        headers: { "content-type": "text/plain;charset=UTF-8" },
        payload: JSON.stringify({ username: "user1", password: "user1-password" }),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        status: "bad request",
        message: "the request body must be JSON: send it with Content-Type: application/json",
        code: "BAD_REQUEST",
      });
    });

    it("any-case JSON content type works, as in Flask", async () => {
      const response = await getToken(
        { username: "user1", password: "user1-password" },
        { "content-type": "Application/JSON; charset=utf-8" },
      );
      expect(response.statusCode).toBe(201);
    });

    it("oversized body: 413 JSON", async () => {
      const response = await getToken({ username: "user1", password: "x".repeat(20_000) });
      expect(response.statusCode).toBe(413);
      expect(response.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    });
  });

  describe("GET /token/verify_token", () => {
    it("valid token: 200 'Verification Successful' with the claims as payload", async () => {
      const token = await tokenFor();
      const response = await verify({ "x-auth-token": token });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body.status).toBe("Verification Successful");
      expect(body.message).toBe("Token has been successfully decrypted");
      expect(body.payload).toEqual(decodeJwt(token));
      expect(body.payload.sub.wfc.org).toBe("org1");
    });

    it("accepts Authorization: Bearer as well", async () => {
      const response = await verify({ authorization: `Bearer ${await tokenFor()}` });
      expect(response.statusCode).toBe(200);
      expect(response.json().status).toBe("Verification Successful");
    });

    it("no token header: 401 with the original's strings (two spaces, trailing spaces) and payload {}", async () => {
      const response = await verify({});
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(HEADER_MISSING);
    });

    it.each([
      ["an empty header value", ""],
      ["garbage", "not-a-token"],
      ['"11" + a valid token', "11"],
    ])("%s: 401 'Invalid token'", async (_what, value) => {
      const token = value === "11" ? `11${await tokenFor()}` : value;
      const response = await verify({ "x-auth-token": token });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(INVALID);
    });

    it("expired token signed with the server key: 401 'Signature expired'", async () => {
      const { privateKey, kid, algorithm } = server.keySet.signingKey;
      const iat = Math.floor(Date.now() / 1000) - 7200;
      const token = await new SignJWT({
        iat,
        exp: iat + 3600,
        iss: server.settings.token.issuer,
        sub: { id: 1, username: "user1", email: null, roles: [], wfc: null },
      } as never)
        .setProtectedHeader({ alg: algorithm, typ: "JWT", kid })
        .sign(privateKey);
      const response = await verify({ "x-auth-token": token });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(EXPIRED);
    });

    it("the reference expired-token vector is 'Invalid token' for a server without that key", async () => {
      const response = await verify({ "x-auth-token": EXPIRED_REFERENCE_JWT });
      expect(response.json()).toEqual(INVALID);
    });

    it("tampered signature or payload: 'Invalid token'", async () => {
      const token = await tokenFor();
      const [h, p, s] = token.split(".") as [string, string, string];
      const flipped = `${s.slice(0, 10)}${s[10] === "A" ? "B" : "A"}${s.slice(11)}`;
      const claims = JSON.parse(Buffer.from(p, "base64url").toString());
      claims.sub.roles = ["admin"];
      const forgedPayload = Buffer.from(JSON.stringify(claims)).toString("base64url");
      for (const bad of [`${h}.${p}.${flipped}`, `${h}.${forgedPayload}.${s}`]) {
        const response = await verify({ "x-auth-token": bad });
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual(INVALID);
      }
    });

    it("a token signed with another key (with or without our kid): 'Invalid token'", async () => {
      const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
      for (const kid of [server.keySet.signingKey.kid, undefined]) {
        const token = await sign(other, "RS512", kid);
        expect((await verify({ "x-auth-token": token })).json()).toEqual(INVALID);
      }
    });

    it("unknown kid: 'Invalid token'", async () => {
      const token = await sign(server.keySet.signingKey.privateKey, "RS512", "no-such-kid");
      expect((await verify({ "x-auth-token": token })).json()).toEqual(INVALID);
    });

    it("alg none: 'Invalid token', not a 500", async () => {
      const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
      const claims = decodeJwt(await tokenFor());
      for (const alg of ["none", "None", "NONE"]) {
        const token = `${part({ alg, typ: "JWT" })}.${part(claims)}.`;
        const response = await verify({ "x-auth-token": token });
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual(INVALID);
      }
    });

    it("HS256 signed with the public key as the secret (RS/HS confusion): 'Invalid token'", async () => {
      const claims = decodeJwt(await tokenFor());
      const publicKey = server.keySet.signingKey.publicKey;
      const secrets = [
        publicKey.export({ type: "spki", format: "pem" }).toString(),
        publicKey.export({ type: "pkcs1", format: "pem" }).toString(),
        formatOpenSshPublicKey(publicKey, "tokenleader-signing-key"),
      ];
      for (const secret of secrets) {
        for (const kid of [server.keySet.signingKey.kid, undefined]) {
          const token = hs256(secret, claims, kid);
          const response = await verify({ "x-auth-token": token });
          expect(response.statusCode).toBe(401);
          expect(response.json()).toEqual(INVALID);
        }
      }
    });

    it("another algorithm with the right key (RS256, PS512 for an RS512 server): 'Invalid token'", async () => {
      const { privateKey, kid } = server.keySet.signingKey;
      for (const alg of ["RS256", "PS512"]) {
        const token = await sign(privateKey, alg, kid);
        expect((await verify({ "x-auth-token": token })).json()).toEqual(INVALID);
      }
    });

    it("a user without wfc (imported data) verifies with wfc null", async () => {
      const { privateKey, kid, algorithm } = server.keySet.signingKey;
      const { id } = (await server.adminService.getUser("noroles"))!;
      const sub = { id, username: "noroles", email: null, roles: [], wfc: null };
      const iat = Math.floor(Date.now() / 1000);
      const iss = server.settings.token.issuer;
      const token = await new SignJWT({ iat, exp: iat + 60, iss, sub } as never)
        .setProtectedHeader({ alg: algorithm, typ: "JWT", kid })
        .sign(privateKey);
      const body = (await verify({ "x-auth-token": token })).json();
      expect(body.status).toBe("Verification Successful");
      expect(body.payload.sub).toEqual(sub);
    });
  });

  describe("bearer token revocation", () => {
    // Tokens are signed here with an `iat` a few seconds back: `iat` has whole seconds, and a
    // token issued in the very second of a change is tolerated (see BearerTokenCheck).
    async function pastToken(username: string, secondsAgo = 5): Promise<string> {
      const user = (await server.adminService.getUser(username))!;
      const { privateKey, kid, algorithm } = server.keySet.signingKey;
      const iat = Math.floor(Date.now() / 1000) - secondsAgo;
      const sub = { id: user.id, username, email: null, roles: user.roles, wfc: null };
      const iss = server.settings.token.issuer;
      return new SignJWT({ iat, exp: iat + 600, iss, sub } as never)
        .setProtectedHeader({ alg: algorithm, typ: "JWT", kid })
        .sign(privateKey);
    }
    const statusOf = async (token: string) =>
      (await verify({ "x-auth-token": token })).json().status as string;

    beforeAll(async () => {
      await seedUsers(server.adminService, [
        { username: "revoke-pw", password: "revoke-pw-password" },
        { username: "revoke-roles", password: "revoke-roles-password" },
        { username: "revoke-del", password: "revoke-del-password" },
      ]);
    });

    it("a token issued in the same second as the change is refused too (it carries tva)", async () => {
      await seedUsers(server.adminService, [
        { username: "revoke-now", password: "revoke-now-password" },
      ]);
      const token = await tokenFor("revoke-now", "revoke-now-password");
      expect(decodeJwt(token).tva).toBe(0);
      await server.adminService.updateUser({
        username: "revoke-now",
        password: "another-password",
      });
      expect(await statusOf(token)).toBe("Invalid token");
      const fresh = await tokenFor("revoke-now", "another-password");
      expect(decodeJwt(fresh).tva).toBeGreaterThan(0);
      expect(await statusOf(fresh)).toBe("Verification Successful");
    });

    it("a login in flight during a role change gets a token that is already refused", async () => {
      await seedUsers(server.adminService, [
        { username: "revoke-race", password: "revoke-race-password" },
      ]);
      // The password check reads the user row; the roles change before the token is signed.
      const login = await server.adminService.authenticate("revoke-race", "revoke-race-password");
      if (!login.ok) throw new Error("login failed");
      await server.adminService.updateUser({ username: "revoke-race", roles: [] });
      const issuer = createTokenIssuer({
        signingKey: server.keySet.signingKey,
        lifetimeSeconds: 600,
        issuer: server.settings.token.issuer,
      });
      const { token } = await issuer.issueToken(login.user, login.tokensValidAfterMs);
      expect(await statusOf(token)).toBe("Invalid token");
    });

    it("a password change ends the tokens issued before it; a new token works", async () => {
      const before = await pastToken("revoke-pw");
      expect(await statusOf(before)).toBe("Verification Successful");
      await server.adminService.updateUser({ username: "revoke-pw", password: "a-new-password" });
      const response = await verify({ "x-auth-token": before });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(INVALID);
      expect(await statusOf(await tokenFor("revoke-pw", "a-new-password"))).toBe(
        "Verification Successful",
      );
    });

    it("a role change ends the tokens issued before it", async () => {
      const before = await pastToken("revoke-roles");
      await server.adminService.updateUser({ username: "revoke-roles", roles: [] });
      expect(await statusOf(before)).toBe("Invalid token");
    });

    it("a deleted user's tokens end, and a new user of the same name does not inherit them", async () => {
      const before = await pastToken("revoke-del");
      await server.adminService.deleteUser("revoke-del");
      expect(await statusOf(before)).toBe("Invalid token");
      await seedUsers(server.adminService, [
        { username: "revoke-del", password: "revoke-del-password" },
      ]);
      expect(await statusOf(before)).toBe("Invalid token");
      expect(await statusOf(await tokenFor("revoke-del", "revoke-del-password"))).toBe(
        "Verification Successful",
      );
    });
  });

  describe("wrong methods and unknown routes", () => {
    it.each([
      ["GET", "/token/gettoken", "POST"],
      ["DELETE", "/token/gettoken", "POST"],
      ["POST", "/token/verify_token", "GET, HEAD"],
      ["PUT", "/.well-known/jwks.json", "GET, HEAD"],
    ])("%s %s: JSON 405 with Allow: %s", async (method, url, allow) => {
      const response = await server.app.inject({ method: method as "GET", url });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe(allow);
      expect(response.json()).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
    });

    it("malformed JSON sent to an unknown route or with a wrong method: 404/405, not a JSON error", async () => {
      const send = (method: string, url: string) =>
        server.app.inject({
          method: method as "POST",
          url,
          headers: { "content-type": "application/json" },
          payload: '{"username": ',
        });
      const unknown = await send("POST", "/token/nosuch");
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toMatchObject({ code: "ROUTE_NOT_FOUND" });
      const wrongMethod = await send("PUT", "/token/gettoken");
      expect(wrongMethod.statusCode).toBe(405);
      expect(wrongMethod.json()).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
      // A route that exists still says what is wrong with the body.
      expect((await send("POST", "/token/gettoken")).json().message).toMatch(/not valid JSON/);
    });

    it("a malformed percent-escape in the path: 400 with the project's JSON error body", async () => {
      for (const url of ["/token/%FF", "/token/gettoken%E0%A4%A", "/nope/%E0%A4%A"]) {
        const response = await server.app.inject({ method: "GET", url });
        expect(response.statusCode, url).toBe(400);
        expect(response.headers["content-type"], url).toMatch(/^application\/json/);
        expect(response.json(), url).toEqual({
          status: "the request is not valid",
          message: expect.stringContaining("malformed percent-escape"),
          code: "VALIDATION_FAILED",
          field: "path",
        });
      }
    });

    it.each(["/nope", "/token/gettoken/", "/token"])("GET %s: JSON 404", async (url) => {
      const response = await server.app.inject({ method: "GET", url });
      expect(response.statusCode).toBe(404);
      expect(response.headers["content-type"]).toMatch(/^application\/json/);
      expect(response.json()).toMatchObject({ code: "ROUTE_NOT_FOUND" });
    });
  });
});

describeEachProvider("verify_token with a retired key", (ctx) => {
  it("verifies the reference vector (no iss) with the original developer key: 'Signature expired' only with accept_tokens_without_issuer", async () => {
    // The original developer's public key placed among the server's retired keys, as an operator
    // migrating from tokenleader 1.8 would do to keep accepting the old server's tokens.
    const prepareDataDir = async (dataDir: string) => {
      await mkdir(join(dataDir, "keys", "previous"), { recursive: true });
      await writeFile(
        join(dataDir, "keys", "previous", "tokenleader-1.8.pub"),
        DEVELOPER_SSH_RSA_PUBLIC_KEY,
      );
    };
    const strict = await createTestServer({ db: ctx.db, prepareDataDir });
    try {
      const refused = await strict.app.inject({
        method: "GET",
        url: "/token/verify_token",
        headers: { "X-Auth-Token": EXPIRED_REFERENCE_JWT },
      });
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toEqual(INVALID);
    } finally {
      await strict.close();
    }
    const server = await createTestServer({
      db: ctx.db,
      ini: { token: { accept_tokens_without_issuer: "yes" } },
      prepareDataDir,
    });
    try {
      const response = await server.app.inject({
        method: "GET",
        url: "/token/verify_token",
        headers: { "X-Auth-Token": EXPIRED_REFERENCE_JWT },
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(EXPIRED);
      const jwks = (await server.app.inject({ url: "/.well-known/jwks.json" })).json();
      expect(jwks.keys).toHaveLength(2);
      expect(
        createPublicKey({ key: jwks.keys[1], format: "jwk" }).asymmetricKeyDetails?.modulusLength,
      ).toBe(2048);
    } finally {
      await server.close();
    }
  });
});

async function sign(privateKey: KeyObject, alg: string, kid: string | undefined): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iat,
    exp: iat + 600,
    sub: { id: 1, username: "user1", email: null, roles: ["admin"], wfc: null },
  } as never)
    .setProtectedHeader({ alg, typ: "JWT", ...(kid ? { kid } : {}) })
    .sign(privateKey);
}

/** HS256 by hand: jose refuses asymmetric key text as an HMAC secret, an attacker does not. */
function hs256(secret: string, claims: object, kid: string | undefined): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${part({ alg: "HS256", typ: "JWT", ...(kid ? { kid } : {}) })}.${part(claims)}`;
  return `${input}.${createHmac("sha256", secret).update(input).digest("base64url")}`;
}

describeEachProvider("gettoken for imported users whose wfc row is missing", (ctx) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await createTestServer({ db: ctx.db });
    await seedUsers(server.adminService, [
      { username: "orphan", password: "orphan-password", email: "orphan@example.org", roles: [] },
    ]);
    // Imported 1.x data may point at a wfc that no longer exists. The schema forbids it, so
    // write the dangling wfc_id past the foreign-key checks, on a connection of our own.
    if (ctx.provider === "sqlite") {
      const { default: BetterSqlite3 } = await import("better-sqlite3");
      const raw = new BetterSqlite3(ctx.url.replace(/^file:/, ""));
      try {
        raw.pragma("foreign_keys = OFF");
        raw.prepare('UPDATE "user" SET wfc_id = 999999 WHERE username = ?').run("orphan");
      } finally {
        raw.close();
      }
    } else {
      const { default: pg } = await import("pg");
      const raw = new pg.Client({ connectionString: ctx.url });
      await raw.connect();
      try {
        await raw.query("SET session_replication_role = replica");
        await raw.query('UPDATE "user" SET wfc_id = 999999 WHERE username = $1', ["orphan"]);
      } finally {
        await raw.end();
      }
    }
    const [row] = await ctx.db.prisma.$queryRawUnsafe<{ wfc_id: unknown }[]>(
      `SELECT wfc_id FROM "user" WHERE username = 'orphan'`,
    );
    expect(Number(row?.wfc_id)).toBe(999999);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("still gets a token (201) with wfc: null and roles: [], and it verifies", async () => {
    const response = await server.app.inject({
      method: "POST",
      url: "/token/gettoken",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ username: "orphan", password: "orphan-password" }),
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.status).toBe("success");
    expect((decodeJwt(body.auth_token) as { sub: unknown }).sub).toEqual({
      id: expect.any(Number),
      username: "orphan",
      email: "orphan@example.org",
      roles: [],
      wfc: null,
    });
    const verified = await server.app.inject({
      method: "GET",
      url: "/token/verify_token",
      headers: { "X-Auth-Token": body.auth_token },
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().status).toBe("Verification Successful");
  });
});

import { readFile } from "node:fs/promises";
import { importVerificationKey } from "@tokenleader/client";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedKeyFiles } from "../src/keys/index.js";
import { describeEachProvider } from "./helpers/test-databases.js";
import { createTestServer, seedUsers, type TestServer } from "./helpers/test-server.js";

// Standard discovery (JWKS, OpenID configuration), every signing algorithm end to end, and the
// health endpoints.

async function login(server: TestServer): Promise<string> {
  const response = await server.app.inject({
    method: "POST",
    url: "/token/gettoken",
    payload: { username: "user1", password: "user1-password" },
  });
  expect(response.statusCode).toBe(201);
  return response.json().auth_token;
}

describeEachProvider("discovery", (ctx) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await createTestServer({
      db: ctx.db,
      ini: { server: { public_url: "https://auth.example.org" } },
    });
    await seedUsers(server.adminService, [{ username: "user1", password: "user1-password" }]);
  });
  afterAll(async () => {
    await server?.close();
  });

  it("GET /.well-known/jwks.json: public keys with kid, alg, use and a Cache-Control max-age", async () => {
    const response = await server.app.inject({ url: "/.well-known/jwks.json" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["cache-control"]).toMatch(/max-age=\d+/);
    const { keys } = response.json();
    expect(keys).toEqual([
      {
        kty: "RSA",
        n: expect.any(String),
        e: "AQAB",
        kid: server.keySet.signingKey.kid,
        alg: "RS512",
        use: "sig",
      },
    ]);
  });

  it("GET /.well-known/openid-configuration: issuer, jwks_uri, token endpoint, algorithms", async () => {
    const response = await server.app.inject({ url: "/.well-known/openid-configuration" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      issuer: "https://auth.example.org",
      jwks_uri: "https://auth.example.org/.well-known/jwks.json",
      token_endpoint: "https://auth.example.org/token/gettoken",
      id_token_signing_alg_values_supported: ["RS512"],
    });
  });

  it("a token verifies with jose createRemoteJWKSet against the listening server's JWKS", async () => {
    const token = await login(server);
    const listening = await createTestServer({ db: ctx.db });
    try {
      // Same key (cached test key): the second server publishes what the first signed with.
      const address = await listening.app.listen({ host: "127.0.0.1", port: 0 });
      const jwks = createRemoteJWKSet(new URL(`${address}/.well-known/jwks.json`));
      const { payload, protectedHeader } = await jwtVerify(token, jwks, {
        algorithms: ["RS512"],
        issuer: "https://auth.example.org",
      });
      expect(protectedHeader.kid).toBe(server.keySet.signingKey.kid);
      expect((payload.sub as unknown as { username: string }).username).toBe("user1");
    } finally {
      await listening.close();
    }
  });

  it("a token verifies with the OpenSSH public key the server wrote (the original's tl_public_key)", async () => {
    const token = await login(server);
    const line = await readFile(generatedKeyFiles(server.dataDir, "rsa").publicKeyFile, "utf8");
    expect(line).toMatch(/^ssh-rsa /);
    const { payload } = await jwtVerify(token, importVerificationKey(line), {
      algorithms: ["RS512"],
    });
    expect((payload.sub as unknown as { roles: string[] }).roles).toEqual(["role1"]);
  });
});

describeEachProvider("each signing algorithm", (ctx) => {
  for (const algorithm of ["RS512", "PS512", "ES256", "EdDSA"] as const) {
    it(`${algorithm}: gettoken signs with it, verify_token and the JWKS accept it`, async () => {
      const server = await createTestServer({ db: ctx.db, ini: { token: { algorithm } } });
      try {
        if (!(await server.adminService.getUser("user1"))) {
          await seedUsers(server.adminService, [{ username: "user1", password: "user1-password" }]);
        }
        const token = await login(server);
        expect(decodeProtectedHeader(token)).toMatchObject({
          alg: algorithm,
          kid: server.keySet.signingKey.kid,
        });
        const verified = await server.app.inject({
          url: "/token/verify_token",
          headers: { "x-auth-token": token },
        });
        expect(verified.statusCode).toBe(200);
        expect(verified.json().status).toBe("Verification Successful");
        const address = await server.app.listen({ host: "127.0.0.1", port: 0 });
        const jwks = createRemoteJWKSet(new URL(`${address}/.well-known/jwks.json`));
        await expect(jwtVerify(token, jwks, { algorithms: [algorithm] })).resolves.toBeDefined();
      } finally {
        await server.close();
      }
    });
  }
});

describeEachProvider("health", (ctx) => {
  it("GET /healthz: 200 while the process runs", async () => {
    const server = await createTestServer({ db: ctx.db });
    try {
      const response = await server.app.inject({ url: "/healthz" });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: "ok" });
    } finally {
      await server.close();
    }
  });

  it("GET /readyz: 200 with database, migrations and key checks on a migrated database", async () => {
    const server = await createTestServer({ db: ctx.db });
    try {
      const response = await server.app.inject({ url: "/readyz" });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        status: "ready",
        checks: {
          database: { ok: true },
          migrations: { ok: true },
          signingKey: { ok: true, detail: expect.stringContaining(server.keySet.signingKey.kid) },
        },
      });
    } finally {
      await server.close();
    }
  });

  it("GET /readyz: 503 on a database without the migrations", async () => {
    const fresh = await ctx.createDatabase({ migrate: false });
    const server = await createTestServer({ db: fresh.db });
    try {
      const response = await server.app.inject({ url: "/readyz" });
      expect(response.statusCode).toBe(503);
      expect(response.json()).toMatchObject({
        status: "not ready",
        checks: {
          database: { ok: true },
          migrations: { ok: false, detail: "the database is empty: run adminops initdb" },
        },
      });
      // /healthz does not depend on the database.
      expect((await server.app.inject({ url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("GET /readyz: 503 when the database connection is gone; gettoken then fails without leaking details", async () => {
    const lost = await ctx.createDatabase();
    const server = await createTestServer({ db: lost.db });
    try {
      // Closed and deleted (SQLite: its directory; PostgreSQL: DROP DATABASE … WITH (FORCE)).
      await lost.cleanup();
      const ready = await server.app.inject({ url: "/readyz" });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks.database).toEqual({ ok: false, detail: "not reachable" });
      const login = await server.app.inject({
        method: "POST",
        url: "/token/gettoken",
        payload: { username: "user1", password: "x" },
      });
      expect(login.statusCode).toBeGreaterThanOrEqual(500);
      const body = login.json();
      expect(body).toMatchObject({ status: expect.any(String), message: expect.any(String) });
      expect(JSON.stringify(body)).not.toMatch(/postgres|sqlite|prisma|\.db|stack/i);
    } finally {
      await server.close();
    }
  });
});

describe("module exports", () => {
  it("the server package exports buildServer", async () => {
    const server = await import("@tokenleader/server");
    expect(typeof server.buildServer).toBe("function");
  });
});

import {
  createJwksKeySource,
  staticKeySource,
  VERIFY_STATUS,
  type VerifyResult,
  verifyToken,
} from "@tokenleader/client";
import { createEnforcer, type Enforcer, type EnforcerLogger } from "@tokenleader/enforcer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFullTestServer, type FullTestServer } from "../support/full-test-server.js";
import { type ForgedToken, forgedTokens, generateAttackerKeys } from "./support/forged-tokens.js";

// Issue 12, point 6: the forged-token list against every verifier of the project — the server's
// GET /token/verify_token, the admin API, the cookie login's GET /user_status, the enforcer in its
// three modes (PEM key, JWKS, remote against the real server, listening on loopback) and the
// client's verifyToken. None may be accepted; the server answers none of them with a 5xx.

const RULE = "inventory.items.read";

let server: FullTestServer;
let serverUrl: string;
let tokens: ForgedToken[];
/** Tokens built from a real cookie-login access token (for /user_status). */
let cookieTokens: ForgedToken[];
let accessCookie: string;

beforeAll(async () => {
  server = await createFullTestServer();
  serverUrl = await server.app.listen({ host: "127.0.0.1", port: 0 });
  const { signingKey } = server.keySet;
  const attacker = generateAttackerKeys();
  const material = {
    privateKey: signingKey.privateKey,
    publicKey: signingKey.publicKey,
    kid: signingKey.kid,
  };
  tokens = forgedTokens({ ...material, validToken: server.adminToken }, attacker);

  const login = await server.app.inject({
    method: "POST",
    url: "/login",
    payload: { username: "admin", password: "admin-password" },
  });
  expect(login.statusCode).toBe(200);
  const cookie = login.cookies.find((c) => c.name === "access_token_cookie");
  accessCookie = cookie?.value ?? "";
  cookieTokens = forgedTokens({ ...material, validToken: accessCookie }, attacker);
});

afterAll(async () => {
  await server?.close();
});

it("the list is long and its names are unique (a failure names the attack)", () => {
  expect(tokens.length).toBeGreaterThan(250);
  expect(new Set(tokens.map((t) => t.name)).size).toBe(tokens.length);
});

describe("the server", () => {
  it("GET /token/verify_token verifies the real token and refuses every forged one with 401", async () => {
    const verify = (token: string) =>
      server.app.inject({
        method: "GET",
        url: "/token/verify_token",
        headers: { "x-auth-token": token },
      });
    const real = await verify(server.adminToken);
    expect(real.statusCode).toBe(200);
    expect(real.json().status).toBe("Verification Successful");
    for (const { name, token } of tokens) {
      const response = await verify(token);
      expect(response.statusCode, name).toBe(401);
      expect(response.json().status, name).not.toBe("Verification Successful");
    }
  });

  it("the admin API (GET /list/users) lists users for the real token and answers 401 to every forged one", async () => {
    const list = (token: string) =>
      server.app.inject({ method: "GET", url: "/list/users", headers: { "x-auth-token": token } });
    expect((await list(server.adminToken)).statusCode).toBe(200);
    for (const { name, token } of tokens) {
      const response = await list(token);
      expect(response.statusCode, name).toBe(401);
      expect(response.body, name).not.toContain("admin@example.org");
    }
  });

  it("GET /user_status knows the real access cookie and nobody for a forged one", async () => {
    const status = (token: string) =>
      server.app.inject({
        method: "GET",
        url: "/user_status",
        cookies: { access_token_cookie: token },
      });
    const real = await status(accessCookie);
    expect(real.statusCode).toBe(200);
    expect(real.body).toContain("admin");
    for (const { name, token } of [...cookieTokens, ...tokens]) {
      const response = await status(token);
      expect(response.statusCode, name).toBe(401);
    }
  });
});

describe("the client's verifyToken", () => {
  const expectRefused = (name: string, result: VerifyResult) => {
    expect(result.status, name).not.toBe(VERIFY_STATUS.success);
  };

  it("with the server's public key refuses every forged token", async () => {
    const keys = staticKeySource(server.keySet.signingKey.publicKey);
    const options = { issuer: server.settings.token.issuer };
    expect((await verifyToken(server.adminToken, keys, options)).status).toBe(
      VERIFY_STATUS.success,
    );
    for (const { name, token } of tokens) {
      expectRefused(name, await verifyToken(token, keys, options));
    }
  });

  it("with the server's JWKS refuses every forged token", async () => {
    const keys = createJwksKeySource(`${serverUrl}/.well-known/jwks.json`);
    const options = { issuer: server.settings.token.issuer };
    expect((await verifyToken(server.adminToken, keys, options)).status).toBe(
      VERIFY_STATUS.success,
    );
    for (const { name, token } of tokens) {
      expectRefused(name, await verifyToken(token, keys, options));
    }
  });
});

describe("the enforcer", () => {
  /** Records unexpected failures: the enforcer's last guard logs them as errors. */
  function recordingLogger(): EnforcerLogger & { errors: unknown[] } {
    const errors: unknown[] = [];
    return { errors, error: (...args: unknown[]) => errors.push(args), warn() {}, info() {} };
  }

  const check = (enforcer: Enforcer, token: string) =>
    enforcer.check(
      { method: "GET", headers: { "x-auth-token": token }, clientAddress: "127.0.0.1" },
      RULE,
    );

  async function expectAllRefused(enforcer: Enforcer, logger: { errors: unknown[] }) {
    expect((await check(enforcer, server.adminToken)).allowed).toBe(true);
    for (const { name, token } of tokens) {
      const result = await check(enforcer, token);
      expect(result.allowed, name).toBe(false);
      // 403 would mean the token was accepted and only the rule was missing.
      if (!result.allowed) expect(result.status, name).toBe(401);
    }
    expect(logger.errors).toEqual([]);
  }

  const acl = [{ name: "role1", allow: [RULE] }];

  it("local mode with the server's PEM key refuses every forged token with 401", async () => {
    const logger = recordingLogger();
    const pem = server.keySet.signingKey.publicKey.export({ type: "spki", format: "pem" });
    const enforcer = createEnforcer({
      roleToAclMap: acl,
      publicKey: pem.toString(),
      issuer: server.settings.token.issuer,
      logger,
    });
    await expectAllRefused(enforcer, logger);
  });

  it("JWKS mode refuses every forged token with 401", async () => {
    const logger = recordingLogger();
    const enforcer = createEnforcer({
      roleToAclMap: acl,
      jwksUrl: `${serverUrl}/.well-known/jwks.json`,
      logger,
    });
    await expectAllRefused(enforcer, logger);
  });

  it("remote mode against the real server refuses every forged token with 401", async () => {
    const logger = recordingLogger();
    const enforcer = createEnforcer({
      roleToAclMap: acl,
      remoteVerifyUrl: `${serverUrl}/token/verify_token`,
      logger,
    });
    expect((await check(enforcer, server.adminToken)).allowed).toBe(true);
    for (const { name, token } of tokens) {
      const result = await check(enforcer, token);
      expect(result.allowed, name).toBe(false);
      // The server's refusal is a verdict (401), never taken for an outage (503).
      if (!result.allowed) expect(result.status, name).toBe(401);
    }
    expect(logger.errors).toEqual([]);
  });
});

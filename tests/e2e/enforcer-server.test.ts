import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEnforcer as createExpressEnforcer } from "@tokenleader/enforcer/express";
import { createEnforcer as createFastifyEnforcer } from "@tokenleader/enforcer/fastify";
import express from "express";
import Fastify, { type FastifyInstance } from "fastify";
import { decodeJwt, decodeProtectedHeader, importPKCS8, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTokenleaderServer, type TokenleaderServer } from "./support/server-process.js";

// The enforcer inside real Fastify 5 and Express 5 apps (issue 4), checking tokens issued by a
// real tokenleader-server process; the user is created with the real adminops CLI. The apps know
// only the server's JWKS URL, or (remote mode) its /token/verify_token.

const READ = "inventory.items.read";
const WRITE = "inventory.items.write";
const ACL_MAP = `# a microservice's own role_to_acl_map.yml
- name: role1
  allow:
    - ${READ}
- name: role2
  allow:
    - ${WRITE}
`;
const ALICE = { username: "alice", password: "alice-Secret-1", email: "alice@example.org" };

let server: TokenleaderServer;
let dir: string;
let fastifyApp: FastifyInstance;
let expressServer: Server;
const apps: Record<"fastify" | "express", string> = { fastify: "", express: "" };
let aliceToken: string;
let adminToken: string;

async function adminops(...args: string[]): Promise<void> {
  const input = args.includes("--password-stdin") ? `${ALICE.password}\n` : undefined;
  const run = await server.adminops(args, input);
  if (run.code !== 0) {
    throw new Error(`adminops ${args.join(" ")} exited ${run.code}: ${run.stderr}${run.stdout}`);
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tl-e2e-enforcer-"));
  const aclFile = join(dir, "role_to_acl_map.yml");
  await writeFile(aclFile, ACL_MAP);
  server = await startTokenleaderServer();

  // The organisation through the admin API (quick), the user with the real adminops CLI.
  const bootstrapToken = await server.getToken("admin", server.adminPassword);
  for (const [path, body] of [
    ["/add/org", { oname: "acme" }],
    ["/add/ou", { ouname: "research" }],
    ["/add/dept", { deptname: "lab" }],
    ["/add/role", { rolename: "role1" }],
    ["/add/wfc", { fname: "wfc-lab", orgname: "acme", ou_name: "research", dept_name: "lab" }],
  ] as const) {
    const res = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Auth-Token": bootstrapToken },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
  }
  await adminops(
    "adduser",
    "-n",
    ALICE.username,
    "--password-stdin",
    "--emailid",
    ALICE.email,
    "--rolenames",
    "role1",
    "--wfc",
    "wfc-lab",
  );
  [aliceToken, adminToken] = await Promise.all([
    server.getToken(ALICE.username, ALICE.password),
    server.getToken("admin", server.adminPassword),
  ]);

  const jwksUrl = `${server.url}/.well-known/jwks.json`;
  const quiet = { error() {}, warn() {}, info() {} };

  const fastifyEnforcer = createFastifyEnforcer({
    jwksUrl,
    roleToAclMapFile: aclFile,
    logger: quiet,
  });
  // Same ACL, but the super-role switched off: only the file grants rules.
  const strictEnforcer = createFastifyEnforcer({
    jwksUrl,
    roleToAclMapFile: aclFile,
    superRoles: [],
    logger: quiet,
  });
  fastifyApp = Fastify();
  await fastifyApp.register(fastifyEnforcer.plugin);
  await fastifyApp.register(strictEnforcer.plugin);
  fastifyApp.get("/items", { preHandler: fastifyEnforcer.enforce(READ) }, async (req) => ({
    wfc: req.wfc,
  }));
  fastifyApp.post("/items", { preHandler: fastifyEnforcer.enforce(WRITE) }, async (req) => ({
    wfc: req.wfc,
  }));
  fastifyApp.post("/strict/items", { preHandler: strictEnforcer.enforce(WRITE) }, async (req) => ({
    wfc: req.wfc,
  }));
  apps.fastify = await fastifyApp.listen({ host: "127.0.0.1", port: 0 });

  const expressEnforcer = createExpressEnforcer({
    jwksUrl,
    roleToAclMapFile: aclFile,
    logger: quiet,
  });
  const expressStrict = createExpressEnforcer({
    jwksUrl,
    roleToAclMapFile: aclFile,
    superRoles: [],
    logger: quiet,
  });
  const app = express();
  app.get("/items", expressEnforcer.enforce(READ), (req, res) => {
    res.json({ wfc: req.wfc });
  });
  app.post("/items", expressEnforcer.enforce(WRITE), (req, res) => {
    res.json({ wfc: req.wfc });
  });
  app.post("/strict/items", expressStrict.enforce(WRITE), (req, res) => {
    res.json({ wfc: req.wfc });
  });
  expressServer = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const { port } = expressServer.address() as AddressInfo;
  apps.express = `http://127.0.0.1:${port}`;
  // Stop the ACL watchers with the apps.
  expressServer.on("close", () => {
    expressEnforcer.close();
    expressStrict.close();
  });
});

afterAll(async () => {
  await fastifyApp?.close();
  if (expressServer) {
    expressServer.closeAllConnections();
    await new Promise((resolve) => expressServer.close(resolve));
  }
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function call(
  framework: keyof typeof apps,
  method: "GET" | "POST",
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${apps[framework]}${path}`, { method, headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.each(["fastify", "express"] as const)(
  "%s app with tokens from the real server",
  (framework) => {
    it("a role1 user created by adminops is allowed on role1's rule and the handler sees its wfc", async () => {
      const { status, body } = await call(framework, "GET", "/items", {
        "X-Auth-Token": aliceToken,
      });
      expect(status).toBe(200);
      expect(body.wfc).toMatchObject({
        name: "wfc-lab",
        org: "acme",
        orgunit: "research",
        department: "lab",
        username: "alice",
        email: ALICE.email,
        roles: ["role1"],
        clientAddress: "127.0.0.1",
      });
    });

    it("the same token is denied with 403 on a rule role1 is not granted", async () => {
      const { status, body } = await call(framework, "POST", "/items", {
        "X-Auth-Token": aliceToken,
      });
      expect(status).toBe(403);
      expect(body.code).toBe("RULE_NOT_GRANTED");
      expect(body.message).toContain("this endpoint is restricted");
      expect(body.wfc).toBeUndefined();
    });

    it("the server's admin passes every rule through superRoles, and not once they are switched off", async () => {
      const headers = { Authorization: `Bearer ${adminToken}` };
      const read = await call(framework, "GET", "/items", headers);
      const write = await call(framework, "POST", "/items", headers);
      expect([read.status, write.status]).toEqual([200, 200]);
      expect(write.body.wfc).toMatchObject({ username: "admin", org: "default", roles: ["admin"] });
      const strict = await call(framework, "POST", "/strict/items", headers);
      expect(strict.status).toBe(403);
      expect(strict.body.code).toBe("RULE_NOT_GRANTED");
    });

    it("no token, or a server token with a forged payload, gets 401", async () => {
      const [header, payload, signature] = aliceToken.split(".");
      const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
      claims.sub.roles = ["role1", "role2"];
      const forged = [header, Buffer.from(JSON.stringify(claims)).toString("base64url"), signature];
      const none = await call(framework, "GET", "/items");
      const bad = await call(framework, "POST", "/items", { "X-Auth-Token": forged.join(".") });
      expect([none.status, bad.status]).toEqual([401, 401]);
      expect([none.body.code, bad.body.code]).toEqual(["TOKEN_MISSING", "TOKEN_INVALID"]);
    });
  },
);

/** Alice's cookie-login access token, and the logout that revokes it at the server. */
async function aliceCookieSession(): Promise<{ access: string; logout(): Promise<void> }> {
  const login = await fetch(`${server.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: ALICE.username, password: ALICE.password }),
  });
  if (login.status !== 200) throw new Error(`POST /login: HTTP ${login.status}`);
  const cookies = new Map(
    login.headers.getSetCookie().map((line) => {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      return [pair!.slice(0, at), pair!.slice(at + 1)] as const;
    }),
  );
  const access = cookies.get("access_token_cookie")!;
  return {
    access,
    async logout() {
      const res = await fetch(`${server.url}/logout`, {
        method: "POST",
        headers: {
          cookie: `access_token_cookie=${access}`,
          "x-csrf-token": cookies.get("csrf_access_token")!,
        },
      });
      if (res.status !== 200) throw new Error(`POST /logout: HTTP ${res.status}`);
    },
  };
}

/** Alice's token as the server would sign it, but expired ten minutes ago. */
async function expiredToken(): Promise<string> {
  const { kid, alg } = decodeProtectedHeader(aliceToken);
  const claims = decodeJwt(aliceToken);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims, iat: now - 4200, exp: now - 600 } as JWTPayload)
    .setProtectedHeader({ alg: alg!, typ: "JWT", ...(kid ? { kid } : {}) })
    .sign(await importPKCS8(server.privateKeyPem, alg!));
}

describe("remote mode (GET /token/verify_token of the real server)", () => {
  const remote: Record<"fastify" | "express", string> = { fastify: "", express: "" };
  let remoteFastify: FastifyInstance;
  let remoteExpress: Server;
  const errors: string[] = [];
  const logger = {
    error: (_: object, message: string) => errors.push(message),
    warn() {},
    info() {},
  };

  beforeAll(async () => {
    const aclFile = join(dir, "role_to_acl_map.yml");
    // No verdict reuse: every request asks the server, so a revocation shows at once.
    const options = {
      remoteVerifyUrl: `${server.url}/token/verify_token`,
      roleToAclMapFile: aclFile,
      tokenCache: { maxAgeMs: 0 },
      logger,
    };
    const fastifyEnforcer = createFastifyEnforcer(options);
    remoteFastify = Fastify();
    await remoteFastify.register(fastifyEnforcer.plugin);
    remoteFastify.get("/items", { preHandler: fastifyEnforcer.enforce(READ) }, async (req) => ({
      wfc: req.wfc,
    }));
    remote.fastify = await remoteFastify.listen({ host: "127.0.0.1", port: 0 });

    const expressEnforcer = createExpressEnforcer(options);
    const app = express();
    app.get("/items", expressEnforcer.enforce(READ), (req, res) => {
      res.json({ wfc: req.wfc });
    });
    remoteExpress = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    remote.express = `http://127.0.0.1:${(remoteExpress.address() as AddressInfo).port}`;
    remoteExpress.on("close", () => expressEnforcer.close());
  });

  afterAll(async () => {
    await remoteFastify?.close();
    if (remoteExpress) {
      remoteExpress.closeAllConnections();
      await new Promise((resolve) => remoteExpress.close(resolve));
    }
  });

  const get = async (base: string, token: string) => {
    const res = await fetch(`${base}/items`, { headers: { "X-Auth-Token": token } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  describe.each(["fastify", "express"] as const)("in a %s app", (framework) => {
    it("admits a token the server verifies", async () => {
      const { status, body } = await get(remote[framework], aliceToken);
      expect(status).toBe(200);
      expect(body.wfc).toMatchObject({ username: "alice", roles: ["role1"] });
    });

    it("a garbage, an expired and a revoked token get 401 with the server's reason, no error logged", async () => {
      errors.length = 0;
      const session = await aliceCookieSession();
      expect((await get(remote[framework], session.access)).status).toBe(200);
      await session.logout();
      const answers = {
        garbage: await get(remote[framework], "garbage"),
        expired: await get(remote[framework], await expiredToken()),
        revoked: await get(remote[framework], session.access),
      };
      const invalid = "Invalid token. obtain a valid token and send it for verifiaction";
      expect(answers.garbage).toMatchObject({
        status: 401,
        body: { code: "TOKEN_INVALID", reason: invalid },
      });
      expect(answers.expired).toMatchObject({
        status: 401,
        body: {
          code: "TOKEN_EXPIRED",
          reason:
            "Signature expired. Please log in and get a fresh token and send it for reverify.",
        },
      });
      expect(answers.revoked).toMatchObject({
        status: 401,
        body: { code: "TOKEN_INVALID", reason: invalid },
      });
      expect(errors).toEqual([]);
    });
  });

  it("a stopped token server: 503 VERIFIER_UNAVAILABLE, logged as an error", async () => {
    const stopped = await startTokenleaderServer();
    const enforcer = createFastifyEnforcer({
      remoteVerifyUrl: `${stopped.url}/token/verify_token`,
      roleToAclMapFile: join(dir, "role_to_acl_map.yml"),
      logger,
    });
    const app = Fastify();
    await app.register(enforcer.plugin);
    app.get("/items", { preHandler: enforcer.enforce(READ) }, async () => ({ ok: true }));
    const base = await app.listen({ host: "127.0.0.1", port: 0 });
    try {
      await stopped.stop();
      errors.length = 0;
      const { status, body } = await get(base, aliceToken);
      expect(status).toBe(503);
      expect(body.code).toBe("VERIFIER_UNAVAILABLE");
      expect(errors).toEqual(["remote token verification failed"]);
    } finally {
      await app.close();
      await stopped.stop();
    }
  });
});

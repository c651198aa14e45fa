import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADAPTERS, call, type RunningApp, startApp } from "./support/apps.js";
import { subject } from "./support/tokens.js";

const RULE = "service1:first_api:rulename1";

/**
 * A real HTTP server answering like the tokenleader server's GET /token/verify_token: 200 with
 * `{status, message, payload}` for a valid token, 401 with the refusal. Switchable: revoked
 * tokens, an outage (500), and the original 1.8 server's habit of answering refusals with 201.
 * The enforcer against the real server is tested in tests/e2e/enforcer-server.test.ts.
 */
async function startVerifyServer() {
  const state = { revoked: new Set<string>(), failing: false, calls: 0 };
  const server: Server = createServer((req, res) => {
    state.calls++;
    const token = String(req.headers["x-auth-token"] ?? "");
    const now = Math.floor(Date.now() / 1000);
    const send = (status: number, body: object) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (state.failing) return send(500, { code: "INTERNAL", message: "internal server error" });
    if (state.revoked.has(token) || token === "legacy-invalid") {
      return send(token === "legacy-invalid" ? 201 : 401, {
        status: "Invalid token",
        message: "Invalid token. obtain a valid token and send it for verifiaction",
        payload: "Invalid token. Please log in again.",
      });
    }
    if (token === "expired") {
      return send(401, {
        status: "Signature expired",
        message: "Signature expired. Please log in and get a fresh token and send it for reverify.",
        payload: "Signature expired. Please log in again.",
      });
    }
    return send(200, {
      status: "Verification Successful",
      message: "Token has been successfully decrypted",
      payload: { iat: now, exp: now + 3600, sub: subject(token, ["role1"]) },
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { state, server, url: `http://127.0.0.1:${port}/token/verify_token` };
}

describe.each(ADAPTERS)("remote verification (GET /token/verify_token) in a %s app", (adapter) => {
  let verify: Awaited<ReturnType<typeof startVerifyServer>>;
  let app: RunningApp;
  let down: RunningApp;

  beforeAll(async () => {
    verify = await startVerifyServer();
    const acl = [{ name: "role1", allow: [RULE] }];
    const routes = [{ method: "GET" as const, path: "/ep3", rule: RULE }];
    app = await startApp(
      adapter,
      { roleToAclMap: acl, remoteVerifyUrl: verify.url, tokenCache: { maxAgeMs: 0 } },
      routes,
    );
    down = await startApp(
      adapter,
      {
        roleToAclMap: acl,
        remoteVerifyUrl: "http://127.0.0.1:9/token/verify_token",
        logger: quiet,
      },
      routes,
    );
  });
  afterAll(async () => {
    await Promise.all([app?.close(), down?.close()]);
    verify?.server.close();
  });

  const get = (target: RunningApp, token: string) =>
    call(`${target.url}/ep3`, { headers: { "X-Auth-Token": token } });

  it("admits what the server verifies and notices a revocation on the next request", async () => {
    const ok = await get(app, "alice");
    expect(ok.status).toBe(200);
    expect(ok.json().wfc.username).toBe("alice");
    verify.state.revoked.add("alice");
    const revoked = await get(app, "alice");
    expect(revoked.status).toBe(401);
    expect(revoked.json()).toMatchObject({
      code: "TOKEN_INVALID",
      reason: "Invalid token. obtain a valid token and send it for verifiaction",
    });
  });

  it("by default reuses a verdict for 2 s only, so a revocation is seen soon after", async () => {
    const cached = await startApp(
      adapter,
      { roleToAclMap: [{ name: "role1", allow: [RULE] }], remoteVerifyUrl: verify.url },
      [{ method: "GET" as const, path: "/ep3", rule: RULE }],
    );
    try {
      expect((await get(cached, "carol")).status).toBe(200);
      const callsAfterFirst = verify.state.calls;
      verify.state.revoked.add("carol");
      // Within the window the cached verdict stands, without asking the server again.
      expect((await get(cached, "carol")).status).toBe(200);
      expect(verify.state.calls).toBe(callsAfterFirst);
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      const after = await get(cached, "carol");
      expect(after.status).toBe(401);
      expect(after.json().code).toBe("TOKEN_INVALID");
    } finally {
      await cached.close();
    }
  });

  it("maps the server's expired verdict to 401 TOKEN_EXPIRED with the server's reason", async () => {
    const res = await get(app, "expired");
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({
      code: "TOKEN_EXPIRED",
      reason: "Signature expired. Please log in and get a fresh token and send it for reverify.",
    });
  });

  it("takes the original 1.8 server's refusal with HTTP 201 as a verdict too", async () => {
    const res = await get(app, "legacy-invalid");
    expect(res.status).toBe(401);
    expect(res.json().code).toBe("TOKEN_INVALID");
  });

  it("answers 503 while the token server fails (5xx), logged as an error, and never remembers it", async () => {
    const errors: string[] = [];
    const cached = await startApp(
      adapter,
      {
        roleToAclMap: [{ name: "role1", allow: [RULE] }],
        remoteVerifyUrl: verify.url,
        logger: { ...quiet, error: (_details, message) => errors.push(message) },
      },
      [{ method: "GET" as const, path: "/ep3", rule: RULE }],
    );
    try {
      verify.state.failing = true;
      const down = await get(cached, "dave");
      expect(down.status).toBe(503);
      expect(down.json().code).toBe("VERIFIER_UNAVAILABLE");
      expect(errors).toEqual(["remote token verification answered an error"]);
      // Back up: the next request is asked again and admitted, within the verdict cache's 2 s.
      verify.state.failing = false;
      expect((await get(cached, "dave")).status).toBe(200);
    } finally {
      verify.state.failing = false;
      await cached.close();
    }
  });

  it("answers 503 when the token server cannot be reached", async () => {
    const res = await get(down, "bob");
    expect(res.status).toBe(503);
    expect(res.json().code).toBe("VERIFIER_UNAVAILABLE");
  });
});

const quiet = { error: () => {}, warn: () => {}, info: () => {} };

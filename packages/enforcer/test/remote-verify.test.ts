import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADAPTERS, call, type RunningApp, startApp } from "./support/apps.js";
import { subject } from "./support/tokens.js";

const RULE = "service1:first_api:rulename1";

/**
 * A real HTTP server answering like the token server's GET /token/verify_token (reference §3.3:
 * always 201, `{status, message, payload}`), with a switchable verdict to model revocation.
 */
async function startVerifyServer() {
  const state = { revoked: new Set<string>(), calls: 0 };
  const server: Server = createServer((req, res) => {
    state.calls++;
    const token = String(req.headers["x-auth-token"] ?? "");
    const now = Math.floor(Date.now() / 1000);
    const body = state.revoked.has(token)
      ? { status: "Invalid token", message: "…", payload: "Invalid token. Please log in again." }
      : token === "expired"
        ? {
            status: "Signature expired",
            message: "…",
            payload: "Signature expired. Please log in again.",
          }
        : {
            status: "Verification Successful",
            message: "Token has been successfully decrypted",
            payload: { iat: now, exp: now + 3600, sub: subject(token, ["role1"]) },
          };
    res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify(body));
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
    expect(revoked.json().reason).toBe("the token server rejected the token");
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
      expect(after.json().reason).toBe("the token server rejected the token");
    } finally {
      await cached.close();
    }
  });

  it("maps the server's expired verdict to 401 TOKEN_EXPIRED", async () => {
    expect((await get(app, "expired")).json().code).toBe("TOKEN_EXPIRED");
  });

  it("answers 503 when the token server cannot be reached", async () => {
    const res = await get(down, "bob");
    expect(res.status).toBe(503);
    expect(res.json().code).toBe("VERIFIER_UNAVAILABLE");
  });
});

const quiet = { error: () => {}, warn: () => {}, info: () => {} };

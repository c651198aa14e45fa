import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADAPTERS, call, type RunningApp, startApp } from "./support/apps.js";
import { type JwksServer, startJwksServer } from "./support/jwks-server.js";
import { generateSigningKey, mintToken } from "./support/tokens.js";

const RULE = "tokenleader.adminops.adminops_restapi.list_users";
const ACL = [{ name: "role1", allow: [RULE] }];

describe.each(ADAPTERS)("JWKS key source in a real %s app", (adapter) => {
  const k1 = generateSigningKey("k1");
  const k2 = generateSigningKey("k2");
  const k3 = generateSigningKey("k3");
  let jwks: JwksServer;
  let app: RunningApp;

  beforeAll(async () => {
    jwks = await startJwksServer([k1]);
    app = await startApp(
      adapter,
      {
        roleToAclMap: ACL,
        jwksUrl: jwks.url,
        jwks: { cooldownMs: 0, timeoutMs: 1000 },
        // Force every request through the key source so the JWKS behaviour itself is observed.
        tokenCache: { maxEntries: 0 },
      },
      [{ method: "GET", path: "/list/users", rule: RULE }],
    );
  });
  afterAll(async () => {
    await app?.close();
    await jwks?.stop();
  });

  const status = async (token: string) =>
    call(`${app.url}/list/users`, { headers: { "X-Auth-Token": token } });

  it("verifies tokens signed by a published key", async () => {
    expect((await status(await mintToken(k1))).status).toBe(200);
  });

  it("picks up a rotated key (new kid) without a restart", async () => {
    jwks.setKeys([k1, k2]);
    const res = await status(await mintToken(k2));
    expect(res.status).toBe(200);
    expect(res.json().wfc.username).toBe("user1");
  });

  it("keeps cached keys working while the JWKS URL is down, denies unknown kids, recovers", async () => {
    await jwks.stop();
    expect((await status(await mintToken(k1))).status).toBe(200);
    expect((await status(await mintToken(k2))).status).toBe(200);

    const unknown = await status(await mintToken(k3));
    expect(unknown.status).toBe(401);
    expect(unknown.json()).toMatchObject({
      code: "SIGNING_KEY_UNAVAILABLE",
      reason: "signing key unavailable",
    });

    jwks.setKeys([k1, k2, k3]);
    await jwks.start();
    expect((await status(await mintToken(k3))).status).toBe(200);
  });
});

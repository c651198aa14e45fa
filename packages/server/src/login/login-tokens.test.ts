import { generateKeyPairSync } from "node:crypto";
import { decodeProtectedHeader } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createKeySet, createSigningKey, type KeySet } from "../keys/index.js";
import { createTokenVerifier } from "../tokens/index.js";
import { createLoginTokenIssuer, verifyLoginToken } from "./login-tokens.js";

async function keySet(): Promise<KeySet> {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return createKeySet(await createSigningKey(privateKey, publicKey, "ES256", "test"));
}

describe("login tokens", () => {
  let keys: KeySet;
  let otherKeys: KeySet;
  beforeAll(async () => {
    keys = await keySet();
    otherKeys = await keySet();
  });
  const subject = { id: 0, username: "alice", email: null, roles: ["r"], wfc: null };
  const issuer = "http://tl.test";

  it("signs with the server key (kid) and verifies by type", async () => {
    let now = 1_800_000_000_000;
    const tokens = createLoginTokenIssuer({
      signingKey: keys.signingKey,
      issuer,
      accessTtlSeconds: 900,
      now: () => now,
    });
    const end = new Date(now + 3600_000);
    const access = await tokens.issueAccess({
      subject,
      sid: "s".repeat(22),
      sessionExpiresAt: end,
      csrf: "c1",
    });
    const refresh = await tokens.issueRefresh({
      username: "alice",
      source: "file",
      sid: "s".repeat(22),
      jti: "j1",
      sessionExpiresAt: end,
      csrf: "c2",
    });
    expect(decodeProtectedHeader(access.token).kid).toBe(keys.signingKey.kid);
    const options = {
      tokenVerifier: createTokenVerifier(keys, { issuer, now: () => now }),
      issuer,
    };
    expect(await verifyLoginToken(access.token, "access", options)).toMatchObject({ ok: true });
    expect(await verifyLoginToken(refresh.token, "refresh", options)).toMatchObject({
      ok: true,
      claims: { jti: "j1" },
    });
    expect(await verifyLoginToken(refresh.token, "access", options)).toMatchObject({
      ok: false,
      reason: "Only access tokens are allowed",
    });
    expect(await verifyLoginToken(access.token, "refresh", options)).toMatchObject({
      ok: false,
      reason: "Only refresh tokens are allowed",
    });
    // Refresh tokens end with the session, access tokens after their own lifetime.
    expect(refresh.claims.exp).toBe(Math.floor(end.getTime() / 1000));
    now += 901_000;
    expect(await verifyLoginToken(access.token, "access", options)).toMatchObject({
      ok: false,
      reason: "Token has expired",
    });
    expect(
      await verifyLoginToken(access.token, "access", { ...options, allowExpired: true }),
    ).toMatchObject({
      ok: true,
    });
  });

  it("rejects tokens of another key, another issuer, or garbage", async () => {
    const mine = createLoginTokenIssuer({
      signingKey: otherKeys.signingKey,
      issuer,
      accessTtlSeconds: 900,
    });
    const foreign = await mine.issueAccess({
      subject,
      sid: "s".repeat(22),
      sessionExpiresAt: new Date(Date.now() + 3600_000),
      csrf: undefined,
    });
    expect(
      await verifyLoginToken(foreign.token, "access", {
        tokenVerifier: createTokenVerifier(keys, { issuer }),
        issuer,
      }),
    ).toMatchObject({
      ok: false,
      code: "TOKEN_SIGNATURE",
    });
    expect(
      await verifyLoginToken(foreign.token, "access", {
        tokenVerifier: createTokenVerifier(otherKeys, { issuer }),
        issuer: "http://other",
      }),
    ).toMatchObject({
      ok: false,
      code: "TOKEN_INVALID",
    });
    expect(
      await verifyLoginToken("a.b", "access", {
        tokenVerifier: createTokenVerifier(keys, { issuer }),
        issuer,
      }),
    ).toMatchObject({
      ok: false,
      code: "TOKEN_INVALID",
    });
  });
});

import { describe, expect, it } from "vitest";
import { createEnforcer, type EnforcerOptions } from "../src/index.js";
import { generateSigningKey, mintToken, subject, TEST_ISSUER } from "./support/tokens.js";

// Issue 17: the `audience` option (tokens asked for one service carry its name in `aud`) and
// tokens of the server's `standard` profile (string `sub`, the user in the `tokenleader` claim).

const RULE = "inventory.items.read";
const key = generateSigningKey();
const quiet = { error() {}, warn() {}, info() {} };

function enforcerFor(options: Partial<EnforcerOptions> = {}) {
  return createEnforcer({
    roleToAclMap: [{ name: "role1", allow: [RULE] }],
    publicKey: key.publicPem,
    issuer: TEST_ISSUER,
    logger: quiet,
    ...options,
  });
}

const tokenFor = (aud?: unknown) =>
  mintToken(key, { extraClaims: aud === undefined ? {} : { aud } });

async function check(enforcer: ReturnType<typeof createEnforcer>, token: string) {
  return enforcer.check({ method: "GET", headers: { "x-auth-token": token } }, RULE);
}

describe("audience", () => {
  const inventory = enforcerFor({ audience: "inventory" });
  const billing = enforcerFor({ audience: "billing" });

  it("a token for inventory passes inventory's enforcer and is refused by billing's, saying why", async () => {
    const token = await tokenFor("inventory");
    expect(await check(inventory, token)).toMatchObject({ allowed: true });
    expect(await check(billing, token)).toEqual({
      allowed: false,
      status: 401,
      code: "TOKEN_INVALID",
      reason: 'the token is issued for another service (aud: inventory), not for "billing"',
    });
  });

  it("aud as a list (RFC 7519) passes when it names the service", async () => {
    const token = await tokenFor(["billing", "inventory"]);
    expect(await check(inventory, token)).toMatchObject({ allowed: true });
    expect(await check(enforcerFor({ audience: "reports" }), token)).toMatchObject({
      code: "TOKEN_INVALID",
    });
  });

  it("with audience, a token without aud is refused, unless acceptTokensWithoutAudience", async () => {
    const token = await tokenFor();
    expect(await check(inventory, token)).toMatchObject({
      allowed: false,
      code: "TOKEN_INVALID",
      reason: expect.stringMatching(/not issued for a service \(no aud\)/),
    });
    const migrating = enforcerFor({ audience: "inventory", acceptTokensWithoutAudience: true });
    expect(await check(migrating, token)).toMatchObject({ allowed: true });
    // The switch lets only tokens without aud through, never another service's.
    expect(await check(migrating, await tokenFor("billing"))).toMatchObject({
      code: "TOKEN_INVALID",
    });
  });

  it("without audience (compatibility) tokens with and without aud pass", async () => {
    const plain = enforcerFor();
    expect(await check(plain, await tokenFor())).toMatchObject({ allowed: true });
    expect(await check(plain, await tokenFor("billing"))).toMatchObject({ allowed: true });
  });

  it("a bad audience option stops the service at start-up", () => {
    expect(() => enforcerFor({ audience: "" })).toThrow(/audience must not be empty/);
    expect(() => enforcerFor({ audience: 3 as never })).toThrow(/audience must be/);
    expect(() => enforcerFor({ acceptTokensWithoutAudience: "yes" as never })).toThrow(
      /acceptTokensWithoutAudience must be true or false/,
    );
  });
});

describe("standard-profile tokens", () => {
  const enforcer = enforcerFor();

  it("sub = the user id, the user in the tokenleader claim: allowed, handlers get the same user", async () => {
    const user = subject("alice", ["role1"]);
    const token = await mintToken(key, { sub: "1", extraClaims: { tokenleader: user } });
    const result = await check(enforcer, token);
    expect(result).toMatchObject({ allowed: true });
    const original = await check(enforcer, await mintToken(key, { sub: user }));
    if (!result.allowed || !original.allowed) throw new Error("expected both allowed");
    expect(result.context.user).toEqual(original.context.user);
    // Per-request fields (requestId, timestamp) differ; everything from the token is the same.
    const { requestId: _a, timestamp: _b, ...fromToken } = result.context.wfc;
    expect(original.context.wfc).toMatchObject(fromToken);
  });

  it("a role the user does not hold is still refused (403)", async () => {
    const token = await mintToken(key, {
      sub: "1",
      extraClaims: { tokenleader: subject("bob", ["role2"]) },
    });
    expect(await check(enforcer, token)).toMatchObject({ status: 403, code: "RULE_NOT_GRANTED" });
  });

  it("a string sub that is not the user's id, or no user object: 401 CLAIMS_INVALID naming the problem", async () => {
    const mismatch = await mintToken(key, {
      sub: "2",
      extraClaims: { tokenleader: subject("alice", ["role1"]) },
    });
    expect(await check(enforcer, mismatch)).toMatchObject({
      status: 401,
      code: "CLAIMS_INVALID",
      reason: expect.stringMatching(/sub \("2"\) is not the id of the user/),
    });
    const notAUser = await mintToken(key, { sub: "1", extraClaims: { tokenleader: ["x"] } });
    expect(await check(enforcer, notAUser)).toMatchObject({
      code: "CLAIMS_INVALID",
      reason: expect.stringMatching(/'tokenleader' claim holding the user is not an object/),
    });
    expect(await check(enforcer, await mintToken(key, { sub: "1" }))).toMatchObject({
      code: "CLAIMS_INVALID",
      reason: "token claim 'sub' is not an object",
    });
  });
});

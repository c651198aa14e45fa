import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnforcer, type EnforcerOptions } from "../src/index.js";
import { type JwksServer, startJwksServer } from "./support/jwks-server.js";
import { generateSigningKey, mintToken, TEST_ISSUER } from "./support/tokens.js";

// Tokens signed with the right key but naming another issuer, none, or a time in the future
// (issue 12): the key alone does not make a token good.

const key = generateSigningKey();
const acl = [{ name: "role1", allow: ["r"] }];
const YEAR_2100 = Math.floor(Date.UTC(2100, 0, 1) / 1000);

async function verdict(options: EnforcerOptions, token: string) {
  const enforcer = createEnforcer({ roleToAclMap: acl, ...options });
  try {
    return await enforcer.check({ method: "GET", headers: { "x-auth-token": token } }, "r");
  } finally {
    enforcer.close();
  }
}

const ALLOWED = { allowed: true };
const NOT_ISSUER = {
  allowed: false,
  status: 401,
  code: "TOKEN_INVALID",
  reason: "the token was not issued by the expected issuer",
};
const NOT_YET_VALID = {
  allowed: false,
  status: 401,
  code: "TOKEN_INVALID",
  reason: "the token is not valid yet (iat or nbf lies in the future)",
};

describe("the enforcer with a configured key and issuer", () => {
  const options = { publicKey: key.publicPem, issuer: TEST_ISSUER };

  it("accepts the expected issuer and refuses another one", async () => {
    expect(await verdict(options, await mintToken(key))).toMatchObject(ALLOWED);
    const foreign = await mintToken(key, { issuer: "https://evil.example" });
    expect(await verdict(options, foreign)).toMatchObject(NOT_ISSUER);
  });

  it("refuses a token without iss by default, accepts it with acceptMissingIssuer", async () => {
    const old = await mintToken(key, { issuer: null });
    expect(await verdict(options, old)).toMatchObject(NOT_ISSUER);
    expect(await verdict({ ...options, acceptMissingIssuer: true }, old)).toMatchObject(ALLOWED);
    const foreign = await mintToken(key, { issuer: "https://evil.example" });
    expect(await verdict({ ...options, acceptMissingIssuer: true }, foreign)).toMatchObject(
      NOT_ISSUER,
    );
  });

  it("refuses an iat in the year 2100", async () => {
    const token = await mintToken(key, { extraClaims: { iat: YEAR_2100, exp: YEAR_2100 + 60 } });
    expect(await verdict(options, token)).toMatchObject(NOT_YET_VALID);
  });

  it("refuses an nbf beyond the leeway (60 s by default, or clockLeewaySec), accepts one within", async () => {
    const now = Math.floor(Date.now() / 1000);
    const in120 = await mintToken(key, { extraClaims: { nbf: now + 120 } });
    expect(await verdict(options, in120)).toMatchObject(NOT_YET_VALID);
    expect(await verdict({ ...options, clockLeewaySec: 300 }, in120)).toMatchObject(ALLOWED);
    const in20 = await mintToken(key, { extraClaims: { nbf: now + 20, iat: now + 20 } });
    expect(await verdict(options, in20)).toMatchObject(ALLOWED);
    expect(await verdict({ ...options, clockLeewaySec: 5 }, in20)).toMatchObject(NOT_YET_VALID);
  });

  it("refuses to start with a key but no issuer, naming the option", () => {
    expect(() => createEnforcer({ roleToAclMap: acl, publicKey: key.publicPem })).toThrow(
      /issuer: set the issuer of the tokens/,
    );
    expect(() => createEnforcer({ roleToAclMap: acl, ...options, clockLeewaySec: -1 })).toThrow(
      /clockLeewaySec must not be negative/,
    );
  });
});

describe("the enforcer with a JWKS URL and no configured issuer", () => {
  let jwks: JwksServer;
  beforeAll(async () => {
    jwks = await startJwksServer([key]);
  });
  afterAll(async () => {
    await jwks?.stop();
  });

  it("learns the issuer from the discovery document beside the JWKS", async () => {
    const options = { jwksUrl: jwks.url };
    expect(await verdict(options, await mintToken(key))).toMatchObject(ALLOWED);
    const foreign = await mintToken(key, { issuer: "https://evil.example" });
    expect(await verdict(options, foreign)).toMatchObject(NOT_ISSUER);
    expect(await verdict(options, await mintToken(key, { issuer: null }))).toMatchObject(
      NOT_ISSUER,
    );
  });

  it("a configured issuer wins over the discovery document", async () => {
    const options = { jwksUrl: jwks.url, issuer: "https://other.example" };
    expect(await verdict(options, await mintToken(key))).toMatchObject(NOT_ISSUER);
  });
});

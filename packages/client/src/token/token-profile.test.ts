import { describe, expect, it } from "vitest";
import { audienceProblem } from "./audience.js";
import { staticKeySource } from "./key-source.js";
import { generateTestKeyPair, mintToken, SAMPLE_SUBJECT } from "./mint-token.test-helpers.js";
import { normaliseTokenClaims, userClaims } from "./token-profile.js";
import { verifyToken } from "./verify-token.js";

describe("token profiles", () => {
  const { privateKey, publicKey } = generateTestKeyPair("RS512");
  const keys = staticKeySource(publicKey);

  it("userClaims lays the user out per profile", () => {
    expect(userClaims(SAMPLE_SUBJECT, "tokenleader")).toEqual({ sub: SAMPLE_SUBJECT });
    expect(userClaims(SAMPLE_SUBJECT, "standard")).toEqual({
      sub: "1",
      tokenleader: SAMPLE_SUBJECT,
    });
  });

  it("verifyToken reads a standard-profile token into the tokenleader layout", async () => {
    const { sub, tokenleader } = userClaims(SAMPLE_SUBJECT, "standard") as {
      sub: string;
      tokenleader: object;
    };
    const token = await mintToken(privateKey, "RS512", { sub, extraClaims: { tokenleader } });
    const result = await verifyToken(token, keys);
    expect(result.status).toBe("Verification Successful");
    expect(result.payload).toMatchObject({ sub: SAMPLE_SUBJECT });
    expect(result.payload).not.toHaveProperty("tokenleader");
  });

  it("refuses a string sub that is not the user's id, or without a user object", async () => {
    for (const [claims, problem] of [
      [{ sub: "7", extraClaims: { tokenleader: SAMPLE_SUBJECT } }, /is not the id of the user/],
      [{ sub: "1", extraClaims: { tokenleader: "user1" } }, /holding the user is not an object/],
      [{ sub: "1" }, /^sub: /],
    ] as const) {
      const result = await verifyToken(await mintToken(privateKey, "RS512", claims), keys);
      expect(result).toMatchObject({
        reason: "claims_invalid",
        detail: expect.stringMatching(problem),
      });
    }
  });

  it("leaves tokenleader-profile claims as they are", () => {
    const claims = { sub: SAMPLE_SUBJECT, iat: 1, exp: 2 };
    expect(normaliseTokenClaims(claims)).toEqual({ ok: true, claims });
  });
});

describe("audienceProblem", () => {
  it("no audience configured: any aud passes", () => {
    expect(audienceProblem({ aud: "x" }, {})).toBeNull();
    expect(audienceProblem({}, {})).toBeNull();
  });
  it("an audience: only tokens naming it pass; none without aud unless accepted", () => {
    expect(audienceProblem({ aud: "a" }, { audience: "a" })).toBeNull();
    expect(audienceProblem({ aud: ["b", "a"] }, { audience: "a" })).toBeNull();
    expect(audienceProblem({ aud: "b" }, { audience: "a" })).toMatch(/another service \(aud: b\)/);
    expect(audienceProblem({}, { audience: "a" })).toMatch(/no aud/);
    expect(audienceProblem({}, { audience: "a", acceptMissingAudience: true })).toBeNull();
    expect(
      audienceProblem({ aud: "b" }, { audience: "a", acceptMissingAudience: true }),
    ).not.toBeNull();
  });
});

import { generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { staticKeySource } from "./key-source.js";
import { generateTestKeyPair, mintToken, SAMPLE_SUBJECT } from "./mint-token.test-helpers.js";
import {
  DEVELOPER_SSH_RSA_PUBLIC_KEY,
  EXPIRED_REFERENCE_JWT,
} from "./reference-vectors.test-helpers.js";
import { verifyJwt, verifyToken, verifyTokenSync } from "./verify-token.js";

const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString("base64url");

describe("verifyToken with the reference vectors (§11.3)", () => {
  const developerKey = staticKeySource(DEVELOPER_SSH_RSA_PUBLIC_KEY);

  it("reports the 2019 token as expired with the developer ssh-rsa key, with the original strings", async () => {
    const result = await verifyToken(EXPIRED_REFERENCE_JWT, developerKey);
    expect(result).toEqual({
      status: "Signature expired",
      message: "Signature expired. Please log in and get a fresh token and send it for reverify.",
      payload: "Signature expired. Please log in again.",
      reason: "expired",
    });
  });

  it("refuses the 1.8 token (no iss) where an issuer is expected, unless missing issuers are accepted", async () => {
    const issuer = "http://localhost:5001";
    expect(await verifyToken(EXPIRED_REFERENCE_JWT, developerKey, { issuer })).toMatchObject({
      status: "Invalid token",
      reason: "wrong_issuer",
    });
    const compat = { issuer, acceptMissingIssuer: true };
    expect((await verifyToken(EXPIRED_REFERENCE_JWT, developerKey, compat)).status).toBe(
      "Signature expired",
    );
  });

  it("reports the same token as invalid with any other key (expired only if the signature is valid)", async () => {
    const other = staticKeySource(generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey);
    const result = await verifyToken(EXPIRED_REFERENCE_JWT, other);
    expect(result.status).toBe("Invalid token");
    expect(result.message).toBe("Invalid token. obtain a valid token and send it for verifiaction");
    expect(result.payload).toBe("Invalid token. Please log in again.");
    expect(result.reason).toBe("bad_signature");
  });

  it('reports "11" + token as invalid (header not decodable)', async () => {
    const result = await verifyToken(`11${EXPIRED_REFERENCE_JWT}`, developerKey);
    expect(result.status).toBe("Invalid token");
    expect(result.reason).toBe("malformed");
  });

  it("reports a success as expired only after verifying the signature: tampered expired token is invalid", async () => {
    const [h, p, s] = EXPIRED_REFERENCE_JWT.split(".");
    const flipped = `${h}.${p}.${s!.slice(0, -4)}${s!.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    expect((await verifyToken(flipped, developerKey)).reason).toBe("bad_signature");
  });
});

describe("verifyToken with freshly minted tokens", () => {
  for (const alg of ["RS512", "PS512", "ES256", "EdDSA"] as const) {
    it(`accepts a valid ${alg} token when ${alg} is configured and returns the claims`, async () => {
      const { privateKey, publicKey } = generateTestKeyPair(alg);
      const token = await mintToken(privateKey, alg);
      const result = await verifyToken(token, staticKeySource(publicKey), { algorithms: [alg] });
      expect(result.status).toBe("Verification Successful");
      expect(result.message).toBe("Token has been successfully decrypted");
      if (result.status !== "Verification Successful") throw new Error("unreachable");
      expect(result.payload.sub).toEqual(SAMPLE_SUBJECT);
      expect(result.payload.exp - result.payload.iat).toBe(3600);
      expect(result.reason).toBeUndefined();
    });
  }

  const rsa = generateTestKeyPair("RS512");

  it("rejects a token whose alg is valid but not configured (default RS512 only)", async () => {
    const token = await mintToken(rsa.privateKey, "RS256");
    const result = await verifyToken(token, staticKeySource(rsa.publicKey));
    expect(result).toMatchObject({ status: "Invalid token", reason: "alg_not_allowed" });
  });

  it("rejects a token with a tampered payload", async () => {
    const token = await mintToken(rsa.privateKey, "RS512");
    const [h, , s] = token.split(".");
    const forged = `${h}.${b64({ ...JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()), sub: { ...SAMPLE_SUBJECT, roles: ["admin"] } })}.${s}`;
    const result = await verifyToken(forged, staticKeySource(rsa.publicKey));
    expect(result).toMatchObject({ status: "Invalid token", reason: "bad_signature" });
  });

  it('rejects alg "none" even when "none" is put in the configured list', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: SAMPLE_SUBJECT, iat: now, exp: now + 60 })}.`;
    const result = await verifyToken(token, staticKeySource(rsa.publicKey), {
      algorithms: ["RS512", "none"],
    });
    expect(result).toMatchObject({ status: "Invalid token", reason: "alg_not_allowed" });
  });

  it("rejects an HS256 token signed with the public key as the HMAC secret (algorithm confusion)", async () => {
    const pem = rsa.publicKey.export({ type: "spki", format: "pem" }) as string;
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sub: SAMPLE_SUBJECT, iat: now, exp: now + 60 } as never)
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(pem));
    for (const algorithms of [undefined, ["RS512", "HS256"]]) {
      const result = await verifyToken(token, staticKeySource(pem), { algorithms });
      expect(result).toMatchObject({ status: "Invalid token", reason: "alg_not_allowed" });
    }
  });

  it("rejects a validly signed token whose sub is a string", async () => {
    const token = await mintToken(rsa.privateKey, "RS512", { sub: "user1" });
    const result = await verifyToken(token, staticKeySource(rsa.publicKey));
    expect(result).toMatchObject({ status: "Invalid token", reason: "claims_invalid" });
  });

  it("rejects a validly signed token without exp", async () => {
    const token = await new SignJWT({ sub: SAMPLE_SUBJECT, iat: 1 } as never)
      .setProtectedHeader({ alg: "RS512" })
      .sign(rsa.privateKey);
    const result = await verifyToken(token, staticKeySource(rsa.publicKey));
    expect(result).toMatchObject({ status: "Invalid token", reason: "claims_invalid" });
  });

  it("reports a freshly minted but expired token as expired, and honours clock tolerance", async () => {
    const token = await mintToken(rsa.privateKey, "RS512", { expiresInSec: -10 });
    const source = staticKeySource(rsa.publicKey);
    expect((await verifyToken(token, source)).status).toBe("Signature expired");
    expect((await verifyToken(token, source, { clockToleranceSec: 60 })).status).toBe(
      "Verification Successful",
    );
  });

  it("checks the issuer only when one is configured", async () => {
    const token = await mintToken(rsa.privateKey, "RS512", { extraClaims: { iss: "https://tl" } });
    const source = staticKeySource(rsa.publicKey);
    expect((await verifyToken(token, source)).status).toBe("Verification Successful");
    expect((await verifyToken(token, source, { issuer: "https://tl" })).status).toBe(
      "Verification Successful",
    );
    expect(await verifyToken(token, source, { issuer: "https://other" })).toEqual({
      status: "Invalid token",
      message: "Invalid token. obtain a valid token and send it for verifiaction",
      payload: "Invalid token. Please log in again.",
      reason: "wrong_issuer",
      detail: '"iss" is not the expected issuer https://other',
    });
  });

  it("refuses a token without iss when an issuer is expected, unless missing issuers are accepted", async () => {
    const token = await mintToken(rsa.privateKey, "RS512");
    const source = staticKeySource(rsa.publicKey);
    expect(await verifyToken(token, source, { issuer: "https://tl" })).toMatchObject({
      status: "Invalid token",
      reason: "wrong_issuer",
    });
    const compat = { issuer: "https://tl", acceptMissingIssuer: true };
    expect((await verifyToken(token, source, compat)).status).toBe("Verification Successful");
    // The switch is for tokens with no iss at all, never for another issuer's.
    const foreign = await mintToken(rsa.privateKey, "RS512", { extraClaims: { iss: "https://x" } });
    expect((await verifyToken(foreign, source, compat)).reason).toBe("wrong_issuer");
  });

  it("refuses an iat in the year 2100 and an nbf beyond the leeway, accepts both within it", async () => {
    const source = staticKeySource(rsa.publicKey);
    const now = Math.floor(Date.now() / 1000);
    const year2100 = Math.floor(Date.UTC(2100, 0, 1) / 1000);
    const futureIat = await mintToken(rsa.privateKey, "RS512", {
      extraClaims: { iat: year2100, exp: year2100 + 3600 },
    });
    expect(await verifyToken(futureIat, source)).toMatchObject({
      status: "Invalid token",
      reason: "not_yet_valid",
    });
    const nbfIn120 = await mintToken(rsa.privateKey, "RS512", { extraClaims: { nbf: now + 120 } });
    expect((await verifyToken(nbfIn120, source)).reason).toBe("not_yet_valid");
    expect((await verifyToken(nbfIn120, source, { clockLeewaySec: 30 })).reason).toBe(
      "not_yet_valid",
    );
    expect((await verifyToken(nbfIn120, source, { clockLeewaySec: 180 })).status).toBe(
      "Verification Successful",
    );
    // A few seconds of clock skew between hosts is normal: the default leeway is 60 s.
    const skewed = await mintToken(rsa.privateKey, "RS512", {
      extraClaims: { iat: now + 30, nbf: now + 30 },
    });
    expect((await verifyToken(skewed, source)).status).toBe("Verification Successful");
  });

  it("rejects a token signed by a different key of the right type", async () => {
    const token = await mintToken(generateTestKeyPair("RS512").privateKey, "RS512");
    expect((await verifyToken(token, staticKeySource(rsa.publicKey))).reason).toBe("bad_signature");
  });

  it("tries every configured key without kid and accepts the one that matches", async () => {
    const token = await mintToken(rsa.privateKey, "RS512", { kid: "whatever" });
    const source = staticKeySource([generateTestKeyPair("RS512").publicKey, rsa.publicKey]);
    expect((await verifyToken(token, source)).status).toBe("Verification Successful");
  });

  it("uses the static key whose kid matches and reports an unknown kid", async () => {
    const other = generateTestKeyPair("RS512");
    const source = staticKeySource([
      { kid: "a", key: rsa.publicKey },
      { kid: "b", key: other.publicKey },
    ]);
    const ok = await mintToken(other.privateKey, "RS512", { kid: "b" });
    expect((await verifyToken(ok, source)).status).toBe("Verification Successful");
    const unknown = await mintToken(other.privateKey, "RS512", { kid: "c" });
    expect(await verifyToken(unknown, source)).toMatchObject({ reason: "unknown_kid" });
  });

  it("never throws on hostile input", async () => {
    const source = staticKeySource(rsa.publicKey);
    const inputs: unknown[] = [
      "",
      ".",
      "..",
      "a.b.c",
      "a.b.c.d.e",
      `${b64({ alg: "RS512" })}.!!!.xyz`,
      `${b64({ alg: "RS512", crit: ["zip"] })}.${b64({})}.sig`,
      `${b64({ alg: "RS512", kid: 5 })}.${b64({})}.sig`,
      `${b64([1, 2])}.${b64({})}.sig`,
      "x".repeat(100_000),
      null,
      undefined,
      42,
    ];
    for (const input of inputs) {
      const result = await verifyToken(input as string, source);
      expect(result.status).toBe("Invalid token");
    }
  });
});

describe("verifyJwt (the same checks without the user-claims layout)", () => {
  const { privateKey, publicKey } = generateTestKeyPair("ES256");
  const keys = staticKeySource(publicKey);
  const withoutUser = () =>
    new SignJWT({ identity: { username: "alice" }, iss: "http://tl.test" })
      .setProtectedHeader({ alg: "ES256" })
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);

  it("accepts a token without `sub` that verifyToken refuses, and returns its claims", async () => {
    const token = await withoutUser();
    const options = { algorithms: ["ES256"], issuer: "http://tl.test" };
    expect((await verifyToken(token, keys, options)).reason).toBe("claims_invalid");
    const verified = await verifyJwt(token, keys, options);
    expect(verified.status).toBe("Verification Successful");
    expect(verified.payload).toMatchObject({ identity: { username: "alice" } });
  });

  it("still refuses a wrong issuer, a foreign key and an expired token", async () => {
    const token = await withoutUser();
    expect(
      await verifyJwt(token, keys, { algorithms: ["ES256"], issuer: "http://other" }),
    ).toMatchObject({ status: "Invalid token", reason: "wrong_issuer" });
    const foreign = staticKeySource(generateTestKeyPair("ES256").publicKey);
    expect(await verifyJwt(token, foreign, { algorithms: ["ES256"] })).toMatchObject({
      reason: "bad_signature",
    });
    const later = new Date(Date.now() + 2 * 3600_000);
    expect(await verifyJwt(token, keys, { algorithms: ["ES256"], currentDate: later })).toEqual(
      expect.objectContaining({ status: "Signature expired", reason: "expired" }),
    );
  });
});

describe("verifyTokenSync", () => {
  it("gives verifyToken's outcome for every kind of token, without a promise", async () => {
    const rsa = generateTestKeyPair("RS512");
    const other = generateTestKeyPair("RS512");
    const now = Math.floor(Date.now() / 1000);
    const valid = await mintToken(rsa.privateKey, "RS512", { extraClaims: { iss: "https://tl" } });
    const [h, p] = valid.split(".");
    const tokens = [
      valid,
      await mintToken(rsa.privateKey, "RS512", { kid: "k1", extraClaims: { iss: "https://tl" } }),
      await mintToken(rsa.privateKey, "RS512", { expiresInSec: -10, extraClaims: { iss: "x" } }),
      await mintToken(rsa.privateKey, "RS512", { extraClaims: { iss: "https://other" } }),
      await mintToken(rsa.privateKey, "RS512", {
        extraClaims: { iss: "https://tl", nbf: now + 600 },
      }),
      await mintToken(rsa.privateKey, "RS512", {
        sub: "user1",
        extraClaims: { iss: "https://tl" },
      }),
      await mintToken(other.privateKey, "RS512", { extraClaims: { iss: "https://tl" } }),
      await mintToken(rsa.privateKey, "RS256", { extraClaims: { iss: "https://tl" } }),
      `${h}.${p}.AAAA`,
      `${h}.${p}`,
      "",
      "not a token",
    ];
    const options = { issuer: "https://tl" };
    const withKid = staticKeySource([{ key: rsa.publicKey, kid: "k2" }]);
    for (const source of [staticKeySource(rsa.publicKey), withKid]) {
      for (const token of tokens) {
        const sync = verifyTokenSync(token, source, options);
        expect(sync).not.toBeInstanceOf(Promise);
        expect(sync).toEqual(await verifyToken(token, source, options));
      }
    }
    expect(verifyTokenSync(valid, staticKeySource(rsa.publicKey), options).status).toBe(
      "Verification Successful",
    );
    expect(verifyTokenSync(tokens[1]!, withKid, options).reason).toBe("unknown_kid");
  });
});

import { generateKeyPairSync } from "node:crypto";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { expect, it } from "vitest";
import { createKeySet, createSigningKey } from "../keys/index.js";
import { createTokenIssuer } from "./issue-token.js";
import { createTokenVerifier } from "./verify-server-token.js";

it("issues the configured lifetime from a fixed clock, and a wfc-less user still gets a verifiable token", async () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const signingKey = await createSigningKey(privateKey, publicKey, "EdDSA", "test");
  const now = () => 1_700_000_000_500;
  const issuer = createTokenIssuer({
    signingKey,
    lifetimeSeconds: 120,
    issuer: "https://tl.example",
    now,
  });
  const sub = { id: 7, username: "imported", email: null, roles: [], wfc: null };
  const { token, claims } = await issuer.issueToken(sub);
  expect(decodeProtectedHeader(token)).toEqual({ alg: "EdDSA", typ: "JWT", kid: signingKey.kid });
  expect(decodeJwt(token)).toEqual({
    iat: 1_700_000_000,
    exp: 1_700_000_120,
    sub,
    iss: "https://tl.example",
    jti: claims.jti,
  });

  const verifier = createTokenVerifier(createKeySet(signingKey), {
    issuer: "https://tl.example",
    now,
  });
  expect(await verifier.verify(token)).toMatchObject({
    status: "Verification Successful",
    payload: { sub },
  });
  const later = createTokenVerifier(createKeySet(signingKey), {
    issuer: "https://tl.example",
    now: () => 1_700_000_121_000,
  });
  expect((await later.verify(token)).status).toBe("Signature expired");
});

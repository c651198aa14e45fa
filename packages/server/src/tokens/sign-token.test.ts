import { generateKeyPairSync } from "node:crypto";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { expect, it } from "vitest";
import { createSigningKey } from "../keys/index.js";
import { createTokenSigner } from "./sign-token.js";

it("sets header, times, iss and jti in one place; an end caps the lifetime but leaves at least 1 s", async () => {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const signingKey = await createSigningKey(privateKey, publicKey, "EdDSA", "test");
  const signer = createTokenSigner({
    signingKey,
    issuer: "https://tl.example",
    now: () => 1_700_000_000_900,
  });

  const plain = await signer.sign({ a: 1 }, { lifetime: { seconds: 60 } });
  expect(decodeProtectedHeader(plain.token)).toEqual({
    alg: "EdDSA",
    typ: "JWT",
    kid: signingKey.kid,
  });
  expect(decodeJwt(plain.token)).toEqual({
    iat: 1_700_000_000,
    exp: 1_700_000_060,
    iss: "https://tl.example",
    jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
    a: 1,
  });

  const capped = await signer.sign(
    { a: 2 },
    { lifetime: { seconds: 60, until: new Date(1_700_000_030_000) }, notBefore: true, jti: "j1" },
  );
  expect(decodeJwt(capped.token)).toMatchObject({
    iat: 1_700_000_000,
    nbf: 1_700_000_000,
    exp: 1_700_000_030,
    jti: "j1",
  });
  const ending = await signer.sign({}, { lifetime: { until: new Date(1_699_999_000_000) } });
  expect(decodeJwt(ending.token).exp).toBe(1_700_000_001);
  expect(decodeJwt(ending.token).nbf).toBeUndefined();
});

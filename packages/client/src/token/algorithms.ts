import type { KeyObject } from "node:crypto";

// Only asymmetric JWS algorithms can ever verify a tokenleader token: the verifier holds a public
// key, and accepting HS* would let anyone who knows that public key forge tokens.
export const ASYMMETRIC_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
] as const;
export type TokenAlgorithm = (typeof ASYMMETRIC_ALGORITHMS)[number];

/**
 * The algorithms the tokenleader server signs with (`[token] algorithm`), one per key family it
 * can generate or read: RSA (RS512, PS512), EC P-256 (ES256), Ed25519 (EdDSA).
 */
export const SIGNING_ALGORITHMS = [
  "RS512",
  "PS512",
  "ES256",
  "EdDSA",
] as const satisfies readonly TokenAlgorithm[];
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** The original signs with RS512 (reference §2.1). */
export const DEFAULT_ALGORITHMS: readonly TokenAlgorithm[] = ["RS512"];

export function isTokenAlgorithm(alg: unknown): alg is TokenAlgorithm {
  return typeof alg === "string" && (ASYMMETRIC_ALGORITHMS as readonly string[]).includes(alg);
}

const EC_CURVE_BY_ALG: Record<string, string> = {
  ES256: "prime256v1",
  ES384: "secp384r1",
  ES512: "secp521r1",
};

/** Whether a public key can verify signatures made with `alg` at all. */
export function keyFitsAlgorithm(key: KeyObject, alg: string): boolean {
  const type = key.asymmetricKeyType;
  if (alg.startsWith("RS")) return type === "rsa";
  if (alg.startsWith("PS")) return type === "rsa" || type === "rsa-pss";
  if (alg.startsWith("ES")) {
    return type === "ec" && key.asymmetricKeyDetails?.namedCurve === EC_CURVE_BY_ALG[alg];
  }
  if (alg === "EdDSA") return type === "ed25519" || type === "ed448";
  if (alg === "Ed25519") return type === "ed25519";
  return false;
}

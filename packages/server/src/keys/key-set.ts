import type { KeyObject } from "node:crypto";
import type { SigningAlgorithm } from "@tokenleader/client";
import { calculateJwkThumbprint, exportJWK, type JWK } from "jose";

// The keys the server works with at one moment: one current signing key, plus the other public
// keys tokens may be signed with (older keys still in circulation, a rotated key about to sign).
// All of them are published in the JWKS and accepted by /token/verify_token, each with exactly
// one algorithm. A KeySet never changes; a rotation makes a new one (see key-ring.ts).

export interface VerificationKey {
  /** RFC 7638 SHA-256 thumbprint of the public JWK. */
  readonly kid: string;
  readonly algorithm: SigningAlgorithm;
  readonly publicKey: KeyObject;
  /** Public JWK as published: key members plus kid, alg, use. */
  readonly jwk: Readonly<JWK>;
  /** Where the key came from (file path), for log lines. */
  readonly source: string;
}

export interface SigningKey extends VerificationKey {
  readonly privateKey: KeyObject;
}

export interface KeySet {
  readonly signingKey: SigningKey;
  /** The signing key's public half first, then the other published keys. */
  readonly verificationKeys: readonly VerificationKey[];
  /** The algorithms of the published keys (normally just one). */
  readonly algorithms: readonly string[];
  findByKid(kid: string): VerificationKey | undefined;
  /** `{ keys: [...] }` for /.well-known/jwks.json. */
  jwks(): { keys: JWK[] };
}

export async function createVerificationKey(
  publicKey: KeyObject,
  algorithm: SigningAlgorithm,
  source: string,
): Promise<VerificationKey> {
  const exported = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(exported, "sha256");
  const jwk = Object.freeze({ ...exported, kid, alg: algorithm, use: "sig" });
  return Object.freeze({ kid, algorithm, publicKey, jwk, source });
}

export async function createSigningKey(
  privateKey: KeyObject,
  publicKey: KeyObject,
  algorithm: SigningAlgorithm,
  source: string,
): Promise<SigningKey> {
  const verification = await createVerificationKey(publicKey, algorithm, source);
  return Object.freeze({ ...verification, privateKey });
}

export function createKeySet(
  signingKey: SigningKey,
  retiredKeys: readonly VerificationKey[] = [],
): KeySet {
  const byKid = new Map<string, VerificationKey>();
  for (const key of [signingKey, ...retiredKeys]) {
    if (!byKid.has(key.kid)) byKid.set(key.kid, key);
  }
  const verificationKeys = Object.freeze([...byKid.values()]);
  // Built once: a key set never changes.
  const published = verificationKeys.map((key) => ({ ...key.jwk }));
  const algorithms = Object.freeze([...new Set(verificationKeys.map((key) => key.algorithm))]);
  return Object.freeze({
    signingKey,
    verificationKeys,
    algorithms,
    findByKid: (kid: string) => byKid.get(kid),
    jwks: () => ({ keys: published.map((jwk) => ({ ...jwk })) }),
  });
}

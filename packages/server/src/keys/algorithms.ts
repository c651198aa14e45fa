import type { KeyObject } from "node:crypto";
import type { SigningAlgorithm } from "@tokenleader/client";

// Which key type each supported JWS algorithm needs, and how to make one. The configured
// algorithm is the only one the server signs with and (for its current key) accepts. The list of
// algorithms itself is the client's SIGNING_ALGORITHMS, so the verifiers know every one of them.

/** Key families: RS512 and PS512 share RSA keys (and therefore a generated key file). */
export type KeyFamily = "rsa" | "ec-p256" | "ed25519";

export const MIN_RSA_BITS = 2048;
/** Sizes a generated RSA key may have (`[token] rsa_key_bits`). */
export const RSA_KEY_BITS_CHOICES = [2048, 3072, 4096] as const;
/**
 * Generated RSA keys by default: 2048 bits, the size the large OpenID providers sign with. Every
 * login pays one signature, and RS512 with 3072 bits costs ~1.7 ms of CPU against ~0.3 ms with
 * 2048 (bench/README.md); rotation (`adminops keys rotate`) moves to a larger key at any time.
 */
export const DEFAULT_RSA_KEY_BITS = 2048;

export function keyFamilyOf(algorithm: SigningAlgorithm): KeyFamily {
  switch (algorithm) {
    case "RS512":
    case "PS512":
      return "rsa";
    case "ES256":
      return "ec-p256";
    case "EdDSA":
      return "ed25519";
  }
}

/** The key family of a Node key object, or a description of what it is when unsupported. */
export function describeKey(key: KeyObject): { family: KeyFamily | null; description: string } {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === "rsa") {
    return { family: "rsa", description: `RSA-${details.modulusLength ?? "?"}` };
  }
  // PSS-restricted keys cannot sign RS512 and are rare; plain RSA keys serve PS512 too.
  if (type === "rsa-pss") return { family: null, description: "RSA-PSS-restricted" };
  if (type === "ec") {
    const curve = details.namedCurve ?? "?";
    return {
      family: curve === "prime256v1" ? "ec-p256" : null,
      description: `EC ${curve}`,
    };
  }
  if (type === "ed25519") return { family: "ed25519", description: "Ed25519" };
  return { family: null, description: String(type) };
}

export function familyDescription(family: KeyFamily): string {
  switch (family) {
    case "rsa":
      return `an RSA key of at least ${MIN_RSA_BITS} bits`;
    case "ec-p256":
      return "an EC P-256 key";
    case "ed25519":
      return "an Ed25519 key";
  }
}

/** The command that makes a usable private key for `algorithm` at `file`. */
export function keyGenerationHint(algorithm: SigningAlgorithm, file: string): string {
  switch (keyFamilyOf(algorithm)) {
    case "rsa":
      return `generate one with: ssh-keygen -m PEM -t rsa -b 4096 -N '' -f ${file}`;
    case "ec-p256":
      return `generate one with: openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ${file}`;
    case "ed25519":
      return `generate one with: openssl genpkey -algorithm ed25519 -out ${file}`;
  }
}

/** The algorithm a retired verification key of this family is used with. */
export function defaultAlgorithmFor(
  family: KeyFamily,
  current: SigningAlgorithm,
): SigningAlgorithm {
  switch (family) {
    case "rsa":
      return current === "PS512" ? "PS512" : "RS512";
    case "ec-p256":
      return "ES256";
    case "ed25519":
      return "EdDSA";
  }
}

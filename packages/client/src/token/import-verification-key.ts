import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { keyFitsAlgorithm } from "./algorithms.js";
import {
  isOpenSshRsaPublicKey,
  PublicKeyFormatError,
  parseOpenSshRsaPublicKey,
} from "./openssh-public-key.js";

/**
 * Turns the text of a verification key into a public KeyObject. Accepted forms:
 * - OpenSSH one-line `ssh-rsa AAAA… comment` (the original `tl_public_key`),
 * - PEM public keys (SPKI `BEGIN PUBLIC KEY`, PKCS#1 `BEGIN RSA PUBLIC KEY`),
 * - PEM private keys (PKCS#1/PKCS#8/SEC1, unencrypted): only their public half is kept,
 * - a JSON JWK (public members only are used).
 * With `alg`, also checks that the key can verify that algorithm, so a misconfiguration shows at
 * start-up instead of as "Invalid token" on every request.
 */
export function importVerificationKey(text: string, alg?: string): KeyObject {
  if (typeof text !== "string" || text.trim() === "") {
    throw new PublicKeyFormatError("verification key is empty");
  }
  const trimmed = text.trim();
  const key = importByForm(trimmed);
  if (alg !== undefined && !keyFitsAlgorithm(key, alg)) {
    throw new PublicKeyFormatError(
      `verification key of type ${key.asymmetricKeyType} cannot verify ${alg} signatures`,
    );
  }
  return key;
}

function importByForm(text: string): KeyObject {
  if (isOpenSshRsaPublicKey(text)) {
    return createPublicKey({ key: parseOpenSshRsaPublicKey(text), format: "jwk" });
  }
  if (text.includes("-----BEGIN OPENSSH PRIVATE KEY-----")) {
    throw new PublicKeyFormatError(
      "OpenSSH-format private keys are not supported: use the public key line (ssh-rsa …) or a PEM key (ssh-keygen -m PEM)",
    );
  }
  if (text.includes("ENCRYPTED")) {
    throw new PublicKeyFormatError("encrypted private keys are not supported as verification keys");
  }
  if (text.startsWith("-----BEGIN ")) {
    try {
      // createPublicKey derives the public half when given a private key.
      return createPublicKey({ key: text, format: "pem" });
    } catch (err) {
      throw new PublicKeyFormatError(`PEM key could not be read: ${(err as Error).message}`);
    }
  }
  if (text.startsWith("{")) {
    let jwk: JsonWebKey;
    try {
      jwk = JSON.parse(text) as JsonWebKey;
    } catch {
      throw new PublicKeyFormatError("verification key looks like JSON but does not parse");
    }
    return importJwkPublicKey(jwk);
  }
  throw new PublicKeyFormatError(
    'unrecognised verification key: expected "ssh-rsa AAAA…", a PEM key or a JWK',
  );
}

const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"] as const;

/** A JWK → public KeyObject; private members are dropped so a private JWK never becomes "the key". */
export function importJwkPublicKey(jwk: JsonWebKey): KeyObject {
  if (typeof jwk !== "object" || jwk === null || typeof jwk.kty !== "string") {
    throw new PublicKeyFormatError('JWK has no "kty"');
  }
  if (jwk.kty === "oct") {
    throw new PublicKeyFormatError("symmetric (oct) JWKs cannot verify tokens");
  }
  const publicOnly: JsonWebKey = { ...jwk };
  for (const member of PRIVATE_JWK_MEMBERS) delete publicOnly[member];
  try {
    return createPublicKey({ key: publicOnly, format: "jwk" });
  } catch (err) {
    throw new PublicKeyFormatError(`JWK could not be read: ${(err as Error).message}`);
  }
}

import { generateKeyPair as generateKeyPairCallback, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { DEFAULT_RSA_KEY_BITS, type KeyFamily } from "./algorithms.js";

const generateKeyPair = promisify(generateKeyPairCallback);

export interface GeneratedKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A new key pair of `family`; an RSA key has `rsaBits` bits. */
export async function generateSigningKeyPair(
  family: KeyFamily,
  rsaBits: number = DEFAULT_RSA_KEY_BITS,
): Promise<GeneratedKeyPair> {
  switch (family) {
    case "rsa":
      return generateKeyPair("rsa", { modulusLength: rsaBits, publicExponent: 0x10001 });
    case "ec-p256":
      return generateKeyPair("ec", { namedCurve: "prime256v1" });
    case "ed25519":
      return generateKeyPair("ed25519");
  }
}

import { generateKeyPair as generateKeyPairCallback, type KeyObject } from "node:crypto";
import { promisify } from "node:util";
import { GENERATED_RSA_BITS, type KeyFamily } from "./algorithms.js";

const generateKeyPair = promisify(generateKeyPairCallback);

export interface GeneratedKeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export async function generateSigningKeyPair(family: KeyFamily): Promise<GeneratedKeyPair> {
  switch (family) {
    case "rsa":
      return generateKeyPair("rsa", { modulusLength: GENERATED_RSA_BITS, publicExponent: 0x10001 });
    case "ec-p256":
      return generateKeyPair("ec", { namedCurve: "prime256v1" });
    case "ed25519":
      return generateKeyPair("ed25519");
  }
}

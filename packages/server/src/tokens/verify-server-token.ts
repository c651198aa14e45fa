import { type VerifyResult, verifyToken } from "@tokenleader/client";
import type { KeySet } from "../keys/index.js";
import { acceptedAlgorithms, keySetKeySource } from "./key-set-source.js";

export interface TokenVerifier {
  verify(token: string): Promise<VerifyResult>;
}

/** Verifies tokens against the server's key set with the shared verifier; never throws. */
export function createTokenVerifier(
  keySet: KeySet,
  options: { now?: () => number } = {},
): TokenVerifier {
  const keySource = keySetKeySource(keySet);
  const algorithms = acceptedAlgorithms(keySet);
  return {
    verify(token) {
      return verifyToken(token, keySource, {
        algorithms,
        currentDate: options.now ? new Date(options.now()) : undefined,
      });
    },
  };
}

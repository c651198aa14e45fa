import type { KeySource } from "@tokenleader/client";
import type { KeySet } from "../keys/index.js";

// Lets the shared verifier (@tokenleader/client verifyToken) use the server's own keys. Each key
// has exactly one algorithm: a token naming another algorithm for that key finds no key and is
// "Invalid token", which pins the algorithm per key (no RS/HS or RS/PS confusion).

export function keySetKeySource(keySet: KeySet): KeySource {
  return {
    async getKeys({ alg, kid }) {
      if (kid !== undefined) {
        const key = keySet.findByKid(kid);
        if (!key) return { ok: false, reason: "unknown_kid", detail: `unknown kid "${kid}"` };
        return { ok: true, keys: key.algorithm === alg ? [key.publicKey] : [] };
      }
      // Tokens without kid (issued by the original server, or by us before a rotation).
      const keys = keySet.verificationKeys.filter((key) => key.algorithm === alg);
      return { ok: true, keys: keys.map((key) => key.publicKey) };
    },
  };
}

/** The algorithms the server accepts: those of its keys (normally just the configured one). */
export function acceptedAlgorithms(keySet: KeySet): string[] {
  return [...new Set(keySet.verificationKeys.map((key) => key.algorithm))];
}

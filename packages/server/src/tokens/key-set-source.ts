import type { KeySource } from "@tokenleader/client";
import { type KeySet, type KeySetSource, toKeySetSource } from "../keys/index.js";

// Lets the shared verifier (@tokenleader/client verifyToken) use the server's own keys, as they
// are at each verification (a rotation changes them while the server runs). Each key has exactly
// one algorithm: a token naming another algorithm for that key finds no key and is "Invalid
// token", which pins the algorithm per key (no RS/HS or RS/PS confusion).

export function keySetKeySource(keys: KeySet | KeySetSource): KeySource {
  const source = toKeySetSource(keys);
  return {
    async getKeys({ alg, kid }) {
      const keySet = source.current();
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

/** The algorithms the server accepts now: those of its keys (normally just the configured one). */
export function acceptedAlgorithms(keys: KeySet | KeySetSource): string[] {
  return [...toKeySetSource(keys).current().algorithms];
}

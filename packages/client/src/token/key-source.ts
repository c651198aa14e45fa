import type { KeyObject } from "node:crypto";
import { isTokenAlgorithm, keyFitsAlgorithm } from "./algorithms.js";
import { importVerificationKey } from "./import-verification-key.js";

/** What the verifier knows about the token before choosing a key. */
export interface TokenKeyHint {
  alg: string;
  kid?: string;
}

export type KeyLookupFailure = "unknown_kid" | "key_unavailable";

export type KeyLookup =
  | { ok: true; keys: KeyObject[] }
  | { ok: false; reason: KeyLookupFailure; detail: string };

/** Where verification keys come from: a configured key, or a JWKS endpoint. */
export interface KeySource {
  getKeys(hint: TokenKeyHint): Promise<KeyLookup>;
}

/** A source whose keys are in memory: it can answer without a promise (`verifyTokenSync`). */
export interface SyncKeySource extends KeySource {
  getKeysSync(hint: TokenKeyHint): KeyLookup;
}

export interface StaticKeyEntry {
  key: KeyObject | string;
  kid?: string;
}

/**
 * Keys fixed at construction (the original's `tl_public_key`, a PEM file…). Text keys are imported
 * once here, so a bad key fails at start-up. A token carrying a `kid` uses the key with that kid if
 * one is configured, otherwise the keys configured without a kid (an operator who pasted one public
 * key expects it to be tried whatever the token says).
 */
export function staticKeySource(
  keys: KeyObject | string | ReadonlyArray<KeyObject | string | StaticKeyEntry>,
): SyncKeySource {
  const list = Array.isArray(keys) ? keys : [keys];
  const entries = list.map((item) => {
    const entry: StaticKeyEntry =
      typeof item === "string" || !("key" in (item as object))
        ? { key: item as KeyObject | string }
        : (item as StaticKeyEntry);
    const key = typeof entry.key === "string" ? importVerificationKey(entry.key) : entry.key;
    if (key.type !== "public") {
      throw new TypeError("staticKeySource: verification keys must be public keys");
    }
    return { key, kid: entry.kid };
  });
  if (entries.length === 0) throw new TypeError("staticKeySource: at least one key is required");

  // The keys fitting each algorithm, and the answer for tokens without a kid, worked out once per
  // algorithm: this is asked for every token the verified-token cache does not hold.
  const byAlg = new Map<string, { fitting: typeof entries; withoutKid: KeyLookup }>();
  const forAlg = (alg: string) => {
    let known = byAlg.get(alg);
    if (known === undefined) {
      const fitting = entries.filter((e) => keyFitsAlgorithm(e.key, alg));
      // Shared by every answer, so frozen: no caller can change the keys another one gets.
      const keys = Object.freeze(fitting.filter((e) => e.kid === undefined).map((e) => e.key));
      known = { fitting, withoutKid: { ok: true, keys: keys as KeyObject[] } };
      // Remembered for the algorithms a token may name (a handful), not for any string asked.
      if (isTokenAlgorithm(alg)) byAlg.set(alg, known);
    }
    return known;
  };
  const getKeysSync = (hint: TokenKeyHint): KeyLookup => {
    const { fitting, withoutKid } = forAlg(hint.alg);
    if (hint.kid === undefined) return withoutKid;
    const byKid = fitting.filter((e) => e.kid === hint.kid);
    if (byKid.length > 0) return { ok: true, keys: byKid.map((e) => e.key) };
    if (withoutKid.ok && withoutKid.keys.length === 0 && fitting.length > 0) {
      return {
        ok: false,
        reason: "unknown_kid",
        detail: `no configured key has kid "${hint.kid}"`,
      };
    }
    return withoutKid;
  };
  return { getKeysSync, getKeys: async (hint) => getKeysSync(hint) };
}

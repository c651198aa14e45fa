import type { KeyObject } from "node:crypto";
import { keyFitsAlgorithm } from "./algorithms.js";
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
): KeySource {
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

  return {
    async getKeys(hint) {
      const fitting = entries.filter((e) => keyFitsAlgorithm(e.key, hint.alg));
      const byKid = hint.kid === undefined ? [] : fitting.filter((e) => e.kid === hint.kid);
      const chosen = byKid.length > 0 ? byKid : fitting.filter((e) => e.kid === undefined);
      if (chosen.length === 0) {
        return hint.kid !== undefined && fitting.length > 0
          ? { ok: false, reason: "unknown_kid", detail: `no configured key has kid "${hint.kid}"` }
          : { ok: true, keys: [] };
      }
      return { ok: true, keys: chosen.map((e) => e.key) };
    },
  };
}

import { type DeploymentKeys, keySetAt } from "./deployment-keys.js";
import type { KeySet } from "./key-set.js";

// The one place the server reads its keys from while it runs: the token issuers, the verifiers,
// the JWKS and discovery routes and the admin API's enforcer all ask `current()` each time, so a
// rotation or retirement reaches all of them together without a restart. `current()` is the hot
// path: a clock comparison, and a new KeySet only when a key activates or leaves the JWKS (worked
// out from the keys in memory, no database read). `replace()` takes the keys of a fresh database
// read (key-set-refresher.ts).

export interface KeySetSource {
  /** The key set in force now. */
  current(): KeySet;
}

export interface KeyRing extends KeySetSource {
  /** Takes freshly read keys; throws (keeping the current ones) when none of them can sign. */
  replace(keys: DeploymentKeys): void;
  /** The keys last read (for a refresher reusing what it already decoded). */
  readonly keys: DeploymentKeys;
}

export function createKeyRing(initial: DeploymentKeys, now: () => number = Date.now): KeyRing {
  let keys = initial;
  let state = keySetAt(keys, new Date(now()));
  return {
    get keys() {
      return keys;
    },
    current() {
      const at = now();
      if (state.changesAt !== null && at >= state.changesAt.getTime()) {
        state = keySetAt(keys, new Date(at));
      }
      return state.keySet;
    },
    replace(next) {
      state = keySetAt(next, new Date(now()));
      keys = next;
    },
  };
}

/** A key set that never changes (key files, tests). */
export function fixedKeySetSource(keySet: KeySet): KeySetSource {
  return { current: () => keySet };
}

/** Accepts either, so callers with one fixed key set need no wrapper. */
export function toKeySetSource(keys: KeySet | KeySetSource): KeySetSource {
  return "current" in keys ? keys : fixedKeySetSource(keys);
}

/**
 * A bounded LRU of tokens whose signature has already been verified, so the hot path costs a Map
 * lookup instead of an RSA verification. Entries never outlive the token's `exp`; `maxAgeMs` bounds
 * them further (remote mode uses it so server-side revocation is noticed within that time).
 * Failures are never cached: a cache of junk tokens would be an easy memory-filling target.
 */
export interface VerifiedTokenCache {
  get(token: string, nowMs: number): { claims: Record<string, unknown> } | "expired" | undefined;
  set(token: string, claims: Record<string, unknown>, nowMs: number): void;
  /** Forgets every token (the keys they were verified with have changed). */
  clear(): void;
  readonly size: number;
}

interface Entry {
  claims: Record<string, unknown>;
  /** From `exp`; after it the token is reported expired without re-verifying. */
  expiresAtMs: number;
  /** From `maxAgeMs`; after it the token is verified again. */
  staleAtMs: number;
}

export function createVerifiedTokenCache(options: {
  maxEntries: number;
  maxAgeMs: number;
}): VerifiedTokenCache {
  const entries = new Map<string, Entry>();
  const { maxEntries, maxAgeMs } = options;

  return {
    get(token, nowMs) {
      const entry = entries.get(token);
      if (!entry) return undefined;
      if (nowMs >= entry.expiresAtMs) {
        entries.delete(token);
        return "expired";
      }
      if (nowMs >= entry.staleAtMs) {
        entries.delete(token);
        return undefined;
      }
      // Re-insert to mark as most recently used (Map iterates in insertion order).
      entries.delete(token);
      entries.set(token, entry);
      return { claims: entry.claims };
    },
    set(token, claims, nowMs) {
      if (maxEntries <= 0) return;
      const exp = claims["exp"];
      // Without a numeric exp there is no safe lifetime to cache for.
      if (typeof exp !== "number" || !Number.isFinite(exp)) return;
      const expiresAtMs = exp * 1000;
      if (expiresAtMs <= nowMs) return;
      entries.delete(token);
      entries.set(token, { claims, expiresAtMs, staleAtMs: nowMs + maxAgeMs });
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        entries.delete(oldest);
      }
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

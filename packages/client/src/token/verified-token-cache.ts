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

export interface VerifiedTokenCacheOptions {
  maxEntries: number;
  maxAgeMs: number;
  /**
   * "always" (default): every verified token is cached. "second-sighting": a token is cached the
   * second time it is verified within a while (roughly the last `maxEntries` tokens verified), as
   * TinyLFU's doorkeeper admits entries. Where far more tokens are in use than the cache holds,
   * each would be inserted only to be evicted unused, costing an insert, an eviction and
   * garbage held for a while; tokens presented once no longer push out the ones used again and
   * again. The price is one more verification of each token before it is cached.
   */
  admission?: "always" | "second-sighting";
}

interface Entry {
  /** The whole token: entries are found by a fingerprint, and a token only matches itself. */
  token: string;
  claims: Record<string, unknown>;
  /** From `exp`; after it the token is reported expired without re-verifying. */
  expiresAtMs: number;
  /** From `maxAgeMs`; after it the token is verified again. */
  staleAtMs: number;
}

/** Characters at the end of a token that make its fingerprint: a JWT ends in its signature. */
const FINGERPRINT_CHARS = 24;

/**
 * A small integer from the token's length and last characters. Keying the Map by it spares
 * hashing the whole token (a fresh string of 500–1000 characters per request: about a
 * microsecond each time). Two tokens may share one; the entry's token tells them apart.
 */
function fingerprint(token: string): number {
  let hash = token.length;
  for (let i = Math.max(0, token.length - FINGERPRINT_CHARS); i < token.length; i++) {
    hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  }
  // 30 bits: a small integer V8 stores and hashes without allocating.
  return hash & 0x3fffffff;
}

/**
 * Remembers the fingerprints of recently verified tokens in a fixed table, one per slot (a newer
 * token in the same slot overwrites an older one): no allocation, and it forgets by itself.
 */
function createDoorkeeper(maxEntries: number): (fp: number) => boolean {
  let size = 64;
  while (size < maxEntries) size *= 2;
  const seen = new Int32Array(size);
  const mask = size - 1;
  return (fp) => {
    const slot = fp & mask;
    // Stored as fp + 1, so an empty slot (0) never matches.
    if (seen[slot] === fp + 1) return true;
    seen[slot] = fp + 1;
    return false;
  };
}

export function createVerifiedTokenCache(options: VerifiedTokenCacheOptions): VerifiedTokenCache {
  const entries = new Map<number, Entry>();
  const { maxEntries, maxAgeMs } = options;
  const seenBefore =
    options.admission === "second-sighting" && maxEntries > 0
      ? createDoorkeeper(maxEntries)
      : undefined;

  return {
    get(token, nowMs) {
      const key = fingerprint(token);
      const entry = entries.get(key);
      if (!entry || entry.token !== token) return undefined;
      if (nowMs >= entry.expiresAtMs) {
        entries.delete(key);
        return "expired";
      }
      if (nowMs >= entry.staleAtMs) {
        entries.delete(key);
        return undefined;
      }
      // Re-insert to mark as most recently used (Map iterates in insertion order).
      entries.delete(key);
      entries.set(key, entry);
      return { claims: entry.claims };
    },
    set(token, claims, nowMs) {
      if (maxEntries <= 0) return;
      const exp = claims["exp"];
      // Without a numeric exp there is no safe lifetime to cache for.
      if (typeof exp !== "number" || !Number.isFinite(exp)) return;
      const expiresAtMs = exp * 1000;
      if (expiresAtMs <= nowMs) return;
      const key = fingerprint(token);
      if (seenBefore !== undefined && !seenBefore(key)) return;
      entries.delete(key);
      entries.set(key, { token, claims, expiresAtMs, staleAtMs: nowMs + maxAgeMs });
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

// A small in-process cache for revocation answers: each entry has its own expiry time, and the
// oldest entries are dropped once `maxEntries` is reached (0 keeps nothing). Used by the session
// and bearer-token checks on the hot path of /token/verify_token.
//
// Every drop advances a generation. A reader notes the generation before its database read and
// passes it to `set`: if anything was dropped meanwhile (a revocation committed while the read
// was in flight), the possibly stale answer is not cached.

import { serverMetrics } from "../metrics/index.js";

export class ExpiringCache<K, V> {
  private readonly entries = new Map<K, { readonly value: V; readonly until: number }>();
  private dropped = 0;
  private readonly lookups: { hit(): void; miss(): void } | null;

  /** `name`: the cache's label in the hit/miss metrics (tokenleader_cache_lookups_total). */
  constructor(
    private readonly maxEntries: number,
    name?: string,
  ) {
    this.lookups = name === undefined ? null : serverMetrics.cache(name);
  }

  /** The value, unless it is missing or its time (ms) has come. */
  get(key: K, now: number): V | undefined {
    const entry = this.entries.get(key);
    const value = entry !== undefined && entry.until > now ? entry.value : undefined;
    if (value === undefined) this.lookups?.miss();
    else this.lookups?.hit();
    return value;
  }

  /** Note this before reading what will be cached; pass it to `set`. */
  get generation(): number {
    return this.dropped;
  }

  /**
   * Keeps `value` until the time `until` (ms; Infinity for good) — unless entries were dropped
   * since `readAt` (the generation noted before the value was read).
   */
  set(key: K, value: V, until: number, readAt: number = this.dropped): void {
    if (this.maxEntries <= 0 || readAt !== this.dropped) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { value, until });
  }

  delete(key: K): void {
    this.dropped++;
    this.entries.delete(key);
  }

  /** Drops every entry (notices about changes may have been missed). */
  clear(): void {
    this.dropped++;
    this.entries.clear();
  }

  /** Drops every entry whose value matches. */
  deleteWhere(matches: (value: V) => boolean): void {
    this.dropped++;
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
  }
}

// A small in-process cache for revocation answers: each entry has its own expiry time, and the
// oldest entries are dropped once `maxEntries` is reached (0 keeps nothing). Used by the session
// and bearer-token checks on the hot path of /token/verify_token.

export class ExpiringCache<K, V> {
  private readonly entries = new Map<K, { readonly value: V; readonly until: number }>();

  constructor(private readonly maxEntries: number) {}

  /** The value, unless it is missing or its time (ms) has come. */
  get(key: K, now: number): V | undefined {
    const entry = this.entries.get(key);
    return entry !== undefined && entry.until > now ? entry.value : undefined;
  }

  /** Keeps `value` until the time `until` (ms; Infinity for good). */
  set(key: K, value: V, until: number): void {
    if (this.maxEntries <= 0) return;
    this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(key, { value, until });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Drops every entry whose value matches. */
  deleteWhere(matches: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
  }
}

// Revocation of bearer tokens (/token/gettoken), which have no login session: a token is good
// only while its user still exists (same id and name: a re-created user does not inherit old
// tokens) and was issued no earlier than the user's `tokens_valid_after`, which the admin
// service moves forward when the password or the roles change. The original accepted a deleted
// user's token until it expired.
//
// Checked by /token/verify_token, the enforcer's remote mode and the admin API. Services that
// verify tokens locally (public key or JWKS) cannot see revocations; they accept a token until
// its `exp`, which is why the lifetime stays short.
//
// Answers are cached per user id for a short time, like session answers: a change made through
// this process is seen at once (`forget`), one made by another process within `cacheTtlMs`.

import type { Database } from "../db/index.js";

export interface BearerTokenCheckOptions {
  /** How long a looked-up user state may be reused. Default 2000 ms. */
  readonly cacheTtlMs?: number;
  /** Most cached users kept (oldest dropped first). Default 10000. */
  readonly cacheMaxEntries?: number;
  readonly now?: () => number;
}

interface UserTokenState {
  /** null: no such user (deleted). */
  readonly username: string | null;
  /** Tokens with an `iat` (seconds) below this are revoked; 0 for none. */
  readonly validAfterSeconds: number;
  readonly until: number;
}

export class BearerTokenCheck {
  private readonly cache = new Map<number, UserTokenState>();
  private readonly cacheTtlMs: number;
  private readonly cacheMaxEntries: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    options: BearerTokenCheckOptions = {},
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? 2000;
    this.cacheMaxEntries = options.cacheMaxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** For the verified claims of a token without `sid`: is its user still there, unchanged? */
  async isActive(claims: Readonly<Record<string, unknown>>): Promise<boolean> {
    const subject = claims["sub"];
    if (typeof subject !== "object" || subject === null) return false;
    const { id, username } = subject as { id?: unknown; username?: unknown };
    const iat = claims["iat"];
    if (!Number.isSafeInteger(id) || (id as number) <= 0) return false;
    if (typeof username !== "string" || typeof iat !== "number") return false;
    const state = await this.stateOf(id as number);
    // Same-second tolerance: `iat` has whole seconds, so a token issued in the second of the
    // change stays good (the cutoff is rounded down), never one issued a second before it.
    return state.username === username && iat >= state.validAfterSeconds;
  }

  /** Drops the cached state of a user whose tokens were just revoked or who was deleted. */
  forget(username: string): void {
    for (const [id, state] of this.cache) {
      if (state.username === username) this.cache.delete(id);
    }
  }

  private async stateOf(id: number): Promise<UserTokenState> {
    const now = this.now();
    const cached = this.cache.get(id);
    if (cached !== undefined && cached.until > now) return cached;
    const row = await this.db.prisma.user.findUnique({
      where: { id },
      select: { username: true, tokensValidAfter: true },
    });
    const state: UserTokenState = {
      username: row?.username ?? null,
      validAfterSeconds: row?.tokensValidAfter
        ? Math.floor(row.tokensValidAfter.getTime() / 1000)
        : 0,
      until: now + this.cacheTtlMs,
    };
    this.cache.delete(id);
    while (this.cache.size >= this.cacheMaxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
    if (this.cacheMaxEntries > 0) this.cache.set(id, state);
    return state;
  }
}

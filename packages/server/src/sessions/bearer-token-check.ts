// Revocation of bearer tokens (/token/gettoken), which have no login session: a token is good
// only while its user still exists (same id and name: a re-created user does not inherit old
// tokens) and the user's `tokens_valid_after` is still what it was when the token was issued.
// The admin service moves that time forward when the password or the roles change; tokens carry
// the value they were issued under as the claim `tva` (ms since the epoch, 0 for none), read from
// the same row as the password check, so neither a token issued in the second of the change nor
// one whose login was in flight during it survives. The original accepted a deleted user's
// token until it expired.
//
// Checked by /token/verify_token, the enforcer's remote mode and the admin API. Services that
// verify tokens locally (public key or JWKS) cannot see revocations; they accept a token until
// its `exp`, which is why the lifetime stays short.
//
// Answers are cached per user id for a short time, like session answers: a change made through
// this process is seen at once (`forget`), one made by another process within `cacheTtlMs`.

import type { Database } from "../db/index.js";
import { ExpiringCache } from "./expiring-cache.js";

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
  /** `tokens_valid_after` in ms since the epoch; 0 for none. */
  readonly validAfterMs: number;
}

/** The claim a bearer token carries its user's `tokens_valid_after` in (ms; 0 for none). */
const TOKENS_VALID_AFTER_CLAIM = "tva";

export class BearerTokenCheck {
  private readonly cache: ExpiringCache<number, UserTokenState>;
  private readonly cacheTtlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly db: Database,
    options: BearerTokenCheckOptions = {},
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? 2000;
    this.cache = new ExpiringCache(options.cacheMaxEntries ?? 10_000, "bearer_user");
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
    if (state.username !== username) return false;
    const issuedUnder = claims[TOKENS_VALID_AFTER_CLAIM];
    if (typeof issuedUnder === "number") return issuedUnder === state.validAfterMs;
    // A token from before the claim existed: only whole seconds to go by, so strictly after.
    return state.validAfterMs === 0 || iat > Math.floor(state.validAfterMs / 1000);
  }

  /** Drops the cached state of a user whose tokens were just revoked or who was deleted. */
  forget(username: string): void {
    this.cache.deleteWhere((state) => state.username === username);
  }

  /** Drops every cached state (revocations made meanwhile may have gone unnoticed). */
  forgetAll(): void {
    this.cache.clear();
  }

  private async stateOf(id: number): Promise<UserTokenState> {
    const now = this.now();
    const cached = this.cache.get(id, now);
    if (cached !== undefined) return cached;
    const readAt = this.cache.generation;
    const row = await this.db.prisma.user.findUnique({
      where: { id },
      select: { username: true, tokensValidAfter: true },
    });
    const state: UserTokenState = {
      username: row?.username ?? null,
      validAfterMs: row?.tokensValidAfter?.getTime() ?? 0,
    };
    this.cache.set(id, state, now + this.cacheTtlMs, readAt);
    return state;
  }
}

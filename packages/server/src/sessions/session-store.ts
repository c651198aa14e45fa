// Server-side state of the cookie login: one row per login (table login_session). The tokens
// carry the row's id as `sid`; a session that is revoked or past its end makes every token of it
// worthless, which the original (stateless JWT cookies) could not do: logout, refresh-token
// re-use and credential changes end sessions here.
//
// `isActive` sits on the hot path of /token/verify_token, so answers are cached in process:
// "inactive" for good (a revoked session never comes back), "active" for a short time, so a
// revocation made by another server process sharing the database is seen within `cacheTtlMs`.
// Revocations made through this store drop the cached answers at once; on PostgreSQL they also
// send a notice (revocation-notices.ts) that drops them in every other process at once.

import { randomBytes } from "node:crypto";
import type { Database, DatabaseProvider } from "../db/index.js";
import type { Tx } from "../services/index.js";
import { BearerTokenCheck } from "./bearer-token-check.js";
import { ExpiringCache } from "./expiring-cache.js";
import { recordRevocationEvents } from "./revocation-events.js";
import { sendRevocationNotice } from "./revocation-notices.js";

export type SessionSource = "database" | "file";

/** Why a session ended; stored in revoked_reason and written to the log. */
export type RevokeReason =
  | "logout"
  | "refresh-token-reuse"
  | "user-removed"
  | "user-changed"
  | "deleted"
  | "password_changed"
  | "roles_changed"
  | "wfc_changed"
  | "tokens_revoked";

export interface LoginSessionRecord {
  readonly id: string;
  readonly username: string;
  readonly source: SessionSource;
  readonly createdAt: Date;
  readonly lastUsedAt: Date;
  readonly expiresAt: Date;
  readonly refreshJti: string;
  readonly refreshGeneration: number;
  readonly revokedAt: Date | null;
  readonly revokedReason: string | null;
}

export interface NewLoginSession {
  readonly username: string;
  readonly source: SessionSource;
  readonly expiresAt: Date;
  readonly refreshJti: string;
}

export interface SessionStoreOptions {
  /** How long an "active" answer may be reused. Default 2000 ms. */
  readonly cacheTtlMs?: number;
  /** Most cached answers kept (oldest dropped first). Default 10000. */
  readonly cacheMaxEntries?: number;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  readonly now?: () => number;
}

interface CachedAnswer {
  readonly active: boolean;
  /** Whose session it is, so a change to the user can drop it (null: unknown session). */
  readonly owner: { readonly username: string; readonly source: SessionSource } | null;
}

/** Session ids: 128 random bits, URL-safe (they travel inside tokens). */
function newSessionId(): string {
  return randomBytes(16).toString("base64url");
}

export class SessionStore {
  private readonly cache: ExpiringCache<string, CachedAnswer>;
  private readonly cacheTtlMs: number;
  private readonly now: () => number;
  /** Bearer tokens (no `sid`) are checked against their user instead of a session. */
  readonly bearerTokens: BearerTokenCheck;
  /** Told when a revocation has committed here or was announced by another process. */
  private readonly revocationListeners = new Set<() => void>();

  constructor(
    private readonly db: Database,
    options: SessionStoreOptions = {},
  ) {
    this.cacheTtlMs = options.cacheTtlMs ?? 2000;
    this.cache = new ExpiringCache(options.cacheMaxEntries ?? 10_000, "session");
    this.now = options.now ?? Date.now;
    this.bearerTokens = new BearerTokenCheck(db, options);
  }

  async create(session: NewLoginSession): Promise<LoginSessionRecord> {
    const now = new Date(this.now());
    const row = await this.db.prisma.loginSession.create({
      data: {
        id: newSessionId(),
        username: session.username,
        source: session.source,
        createdAt: now,
        lastUsedAt: now,
        expiresAt: session.expiresAt,
        refreshJti: session.refreshJti,
      },
    });
    return toRecord(row);
  }

  async find(id: string): Promise<LoginSessionRecord | null> {
    if (!isSessionId(id)) return null;
    const row = await this.db.prisma.loginSession.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  /** True when the session exists, is not revoked and has not reached its end. */
  isLive(session: LoginSessionRecord): boolean {
    return session.revokedAt === null && session.expiresAt.getTime() > this.now();
  }

  /**
   * Moves the session to a new refresh token, but only if `fromJti` is still its current one
   * (compare-and-set in one UPDATE): of two requests presenting the same refresh token, exactly
   * one wins; the other is a re-use.
   */
  async rotateRefresh(id: string, fromJti: string, toJti: string): Promise<boolean> {
    const now = new Date(this.now());
    const { count } = await this.db.prisma.loginSession.updateMany({
      where: { id, refreshJti: fromJti, revokedAt: null, expiresAt: { gt: now } },
      data: { refreshJti: toJti, refreshGeneration: { increment: 1 }, lastUsedAt: now },
    });
    return count === 1;
  }

  /** Ends one session. Returns false when it was already ended or does not exist. */
  async revoke(id: string, reason: RevokeReason): Promise<boolean> {
    this.cache.delete(id);
    if (!isSessionId(id)) return false;
    // The notice goes in the same transaction: no notice without the revocation, nor the reverse.
    const count = await this.db.prisma.$transaction(async (tx) => {
      const { count } = await tx.loginSession.updateMany({
        where: { id, revokedAt: null },
        data: { revokedAt: new Date(this.now()), revokedReason: reason },
      });
      if (count === 1) {
        await recordRevocationEvents(tx, this.db.provider, [{ type: "session", sid: id }]);
        await sendRevocationNotice(tx, this.db.provider, { kind: "session", sid: id });
      }
      return count;
    });
    this.cache.set(id, { active: false, owner: null }, Number.POSITIVE_INFINITY);
    if (count === 1) this.announceRevocation();
    return count === 1;
  }

  /**
   * Calls `listener` after each revocation committed through this store or announced by another
   * process (PostgreSQL notices): the revocation stream reads its new events at once instead of
   * at its next poll. Returns the unsubscribe function.
   */
  onRevocation(listener: () => void): () => void {
    this.revocationListeners.add(listener);
    return () => this.revocationListeners.delete(listener);
  }

  private announceRevocation(): void {
    for (const listener of this.revocationListeners) listener();
  }

  /**
   * Ends every open session of a user of one source. Pass `tx` to make the revocation part of
   * the transaction that changes the user (the admin service's hook). Returns the ids ended.
   */
  async revokeUser(
    username: string,
    source: SessionSource,
    reason: RevokeReason,
    tx?: Tx,
  ): Promise<string[]> {
    const at = new Date(this.now());
    const revoke = (client: Tx) =>
      revokeUserSessions(client, this.db.provider, username, source, reason, at);
    // Its own transaction when none is given: the published events go with the revocation.
    const ids = await (tx ? revoke(tx) : this.db.prisma.$transaction(revoke));
    // Inside a transaction the change is not visible yet: only forget cached answers, so the next
    // check reads the database. A check made before the commit may cache "active" again, so the
    // admin service calls forgetUser once the transaction has committed.
    for (const id of ids) this.cache.delete(id);
    if (source === "database") this.bearerTokens.forget(username);
    if (!tx) this.announceRevocation();
    return ids;
  }

  /**
   * Drops every cached answer about a user's tokens: after a change has committed here, or when
   * another process says it revoked them.
   */
  forgetUser(username: string, source: SessionSource = "database"): void {
    this.cache.deleteWhere(
      ({ owner }) => owner !== null && owner.username === username && owner.source === source,
    );
    if (source === "database") this.bearerTokens.forget(username);
    this.announceRevocation();
  }

  /** Drops the cached answer about one session (another process ended it). */
  forgetSession(sid: string): void {
    this.cache.delete(sid);
    this.announceRevocation();
  }

  /** Drops every cached answer (revocations made meanwhile may have gone unnoticed). */
  forgetAll(): void {
    this.cache.clear();
    this.bearerTokens.forgetAll();
    this.announceRevocation();
  }

  /** The hot-path check: is the session `sid` still usable? Unknown ids are not. */
  async isActive(sid: string): Promise<boolean> {
    const now = this.now();
    const cached = this.cache.get(sid, now);
    if (cached !== undefined) return cached.active;
    if (!isSessionId(sid)) return false;
    const readAt = this.cache.generation;
    const row = await this.db.prisma.loginSession.findUnique({
      where: { id: sid },
      select: { revokedAt: true, expiresAt: true, username: true, source: true },
    });
    const active = row !== null && row.revokedAt === null && row.expiresAt.getTime() > now;
    // "Inactive" is for good (a revoked session never comes back); "active" only briefly.
    const until = active
      ? Math.min(now + this.cacheTtlMs, row.expiresAt.getTime())
      : Number.POSITIVE_INFINITY;
    const owner = row ? { username: row.username, source: toSource(row.source) } : null;
    this.cache.set(sid, { active, owner }, until, readAt);
    return active;
  }

  /**
   * For verified token claims: tokens without `sid` (bearer tokens from /token/gettoken) pass
   * while their user exists and has not had the password or roles changed since (see
   * BearerTokenCheck); session tokens pass while their session is active; refresh tokens never
   * pass (they are only good at /refresh).
   */
  async isTokenActive(claims: Readonly<Record<string, unknown>>): Promise<boolean> {
    if (claims["type"] === "refresh") return false;
    const sid = claims["sid"];
    if (sid === undefined) return this.bearerTokens.isActive(claims);
    if (typeof sid !== "string" || !(await this.isActive(sid))) return false;
    // A database user's session tokens also carry `tva`: a login that raced a password or role
    // change made a session the change could not see; the moved cutoff still ends it.
    return typeof claims["tva"] !== "number" || this.bearerTokens.isActive(claims);
  }

  /** Deletes sessions that ended more than `olderThanMs` ago (housekeeping). */
  async deleteEnded(olderThanMs: number): Promise<number> {
    const cutoff = new Date(this.now() - olderThanMs);
    const { count } = await this.db.prisma.loginSession.deleteMany({
      where: { OR: [{ expiresAt: { lt: cutoff } }, { revokedAt: { lt: cutoff } }] },
    });
    return count;
  }
}

/**
 * The revocation itself, inside the revoking transaction. Returns the ids ended. The notice and
 * the published user event go out even when no session was open: a database user's bearer tokens
 * end too.
 */
export async function revokeUserSessions(
  client: Tx,
  provider: DatabaseProvider,
  username: string,
  source: SessionSource,
  reason: RevokeReason,
  at: Date,
): Promise<string[]> {
  const where = { username, source, revokedAt: null };
  const open = await client.loginSession.findMany({ where, select: { id: true } });
  const ids = open.map((row) => row.id);
  if (ids.length > 0) {
    await client.loginSession.updateMany({
      where: { id: { in: ids }, revokedAt: null },
      data: { revokedAt: at, revokedReason: reason },
    });
  }
  await recordRevocationEvents(client, provider, [
    ...(source === "database"
      ? [
          {
            type: "user" as const,
            username,
            validAfter: await userValidAfter(client, username, reason, at),
          },
        ]
      : []),
    ...ids.map((sid) => ({ type: "session" as const, sid })),
  ]);
  await sendRevocationNotice(client, provider, { kind: "user", username, source });
  return ids;
}

/**
 * The cutoff enforcers apply to the user's tokens: the user's own `tokens_valid_after` (which the
 * change just moved, and which new tokens carry as `tva`), or now for a deleted user.
 */
async function userValidAfter(
  client: Tx,
  username: string,
  reason: RevokeReason,
  at: Date,
): Promise<number> {
  if (reason === "deleted") return at.getTime();
  const user = await client.user.findUnique({
    where: { username },
    select: { tokensValidAfter: true },
  });
  return (user?.tokensValidAfter ?? at).getTime();
}

const SESSION_ID = /^[A-Za-z0-9_-]{16,64}$/;

function isSessionId(id: string): boolean {
  return SESSION_ID.test(id);
}

function toSource(source: string): SessionSource {
  return source === "file" ? "file" : "database";
}

function toRecord(row: {
  id: string;
  username: string;
  source: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  refreshJti: string;
  refreshGeneration: number;
  revokedAt: Date | null;
  revokedReason: string | null;
}): LoginSessionRecord {
  return Object.freeze({
    ...row,
    source: toSource(row.source),
  });
}

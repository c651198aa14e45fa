// The guessing policy's counters in the database (table guess_counter), so that every server
// process on one database shares them and a restart keeps them. All times are milliseconds since
// the epoch. Counter rows whose window and lock are over are "stale": the next failure starts a
// fresh window in them, and pruneStale deletes them.

import { type Database, Prisma } from "../db/index.js";

export type CounterScope = "account" | "source" | "trusted";

export interface CounterLimit {
  /** Failures allowed in one window (> 0). */
  readonly max: number;
  readonly windowMs: number;
  readonly lockoutMs: number;
}

export type CounterReservation =
  | { readonly ok: true; readonly windowStart: bigint }
  | { readonly ok: false; readonly retryAfterMs: number };

export interface CounterRow {
  readonly scope: CounterScope;
  readonly key: string;
  readonly windowStart: number;
  readonly failures: number;
  readonly lockedUntil: number | null;
}

export interface GuessCounters {
  /**
   * Reserves one failure in ONE statement (an upsert that only writes while the counter is below
   * its limit), so parallel checks in any number of processes cannot overshoot the limit.
   */
  reserve(
    scope: CounterScope,
    key: string,
    limit: CounterLimit,
    now: number,
  ): Promise<CounterReservation>;
  /** Gives a reservation back (the password was right, or the check itself failed). */
  release(scope: CounterScope, key: string, windowStart: bigint): Promise<void>;
  /** The reserved failure happened: locks the counter when it has reached its limit. */
  confirmFailure(
    scope: CounterScope,
    key: string,
    windowStart: bigint,
    limit: CounterLimit,
    now: number,
  ): Promise<void>;
  /** Counters still in their window or lock. */
  live(windowMs: number, now: number): Promise<CounterRow[]>;
  /** Deletes counters; returns how many. */
  remove(where: { account?: string; source?: string }): Promise<number>;
  pruneStale(windowMs: number, now: number): Promise<void>;
}

/** Length of the source hash that starts the key of a "trusted" counter (sha256, hex). */
export const SOURCE_HASH_LENGTH = 64;

export function createGuessCounters(db: Database): GuessCounters {
  const prisma = db.prisma;
  const stale = (windowMs: number, now: number) =>
    Prisma.sql`(("guess_counter"."locked_until" IS NULL AND "guess_counter"."window_start" <= ${BigInt(now - windowMs)}) OR "guess_counter"."locked_until" <= ${BigInt(now)})`;

  return {
    async reserve(scope, key, limit, now) {
      const isStale = stale(limit.windowMs, now);
      const rows = await db.hot.all<{ window_start: bigint | number }>(Prisma.sql`
        INSERT INTO "guess_counter" ("scope", "key", "window_start", "failures", "locked_until")
        VALUES (${scope}, ${key}, ${BigInt(now)}, 1, NULL)
        ON CONFLICT ("scope", "key") DO UPDATE SET
          "window_start" = CASE WHEN ${isStale} THEN ${BigInt(now)} ELSE "guess_counter"."window_start" END,
          "failures" = CASE WHEN ${isStale} THEN 1 ELSE "guess_counter"."failures" + 1 END,
          "locked_until" = CASE WHEN ${isStale} THEN NULL ELSE "guess_counter"."locked_until" END
        WHERE ${isStale}
          OR ("guess_counter"."locked_until" IS NULL AND "guess_counter"."failures" < ${limit.max})
        RETURNING "window_start"`);
      const reserved = rows[0];
      if (reserved !== undefined) return { ok: true, windowStart: BigInt(reserved.window_start) };
      const row = await prisma.guessCounter.findUnique({ where: { scope_key: { scope, key } } });
      const until =
        row?.lockedUntil != null
          ? Number(row.lockedUntil)
          : Number(row?.windowStart ?? BigInt(now)) + limit.windowMs;
      return { ok: false, retryAfterMs: Math.max(1000, until - now) };
    },

    // reserve, release and confirmFailure run at every password check: plain statements, run
    // directly on SQLite (db/hot-statements.ts).
    async release(scope, key, windowStart) {
      // Only in the window it was reserved in: a fresh window owes it nothing.
      await db.hot.run(Prisma.sql`
        UPDATE "guess_counter" SET "failures" = "failures" - 1
        WHERE "scope" = ${scope} AND "key" = ${key} AND "window_start" = ${windowStart}
          AND "failures" > 0`);
    },

    async confirmFailure(scope, key, windowStart, limit, now) {
      await db.hot.run(Prisma.sql`
        UPDATE "guess_counter" SET "locked_until" = ${BigInt(now + limit.lockoutMs)}
        WHERE "scope" = ${scope} AND "key" = ${key} AND "window_start" = ${windowStart}
          AND "locked_until" IS NULL AND "failures" >= ${limit.max}`);
    },

    async live(windowMs, now) {
      const rows = await prisma.guessCounter.findMany({
        where: {
          OR: [
            { lockedUntil: { gt: BigInt(now) } },
            { lockedUntil: null, windowStart: { gt: BigInt(now - windowMs) }, failures: { gt: 0 } },
          ],
        },
        orderBy: [{ scope: "asc" }, { key: "asc" }],
      });
      return rows.map((row) => ({
        scope: row.scope as CounterScope,
        key: row.key,
        windowStart: Number(row.windowStart),
        failures: row.failures,
        lockedUntil: row.lockedUntil === null ? null : Number(row.lockedUntil),
      }));
    },

    async remove({ account, source }) {
      const conditions: Prisma.GuessCounterWhereInput[] = [];
      if (account !== undefined) {
        conditions.push({ scope: "account", key: account });
        // Trusted-pair keys end with the account; the hash in front has a fixed length.
        const pairs = await prisma.guessCounter.findMany({
          where: { scope: "trusted", key: { endsWith: account } },
          select: { key: true },
        });
        for (const { key } of pairs) {
          if (key.slice(SOURCE_HASH_LENGTH) === account) conditions.push({ scope: "trusted", key });
        }
      }
      if (source !== undefined) conditions.push({ scope: "source", key: source });
      if (conditions.length === 0) return 0;
      const { count } = await prisma.guessCounter.deleteMany({ where: { OR: conditions } });
      return count;
    },

    async pruneStale(windowMs, now) {
      await prisma.$executeRaw`DELETE FROM "guess_counter" WHERE ${stale(windowMs, now)}`;
    },
  };
}

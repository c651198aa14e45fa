// What the guessing policy limits right now, and lifting it: the one service behind
// `adminops lockouts` and `adminops unlock` (and any REST route that may follow).

import { recordAuditEventIn } from "../audit/index.js";
import type { GuessingSettings } from "../config/index.js";
import type { Database } from "../db/index.js";
import { createGuessCounters, SOURCE_HASH_LENGTH } from "./guess-counters.js";

export interface Lockout {
  /** "account": guesses from all sources; "source": an address; "trusted-source": one account from one of its trusted sources. */
  readonly kind: "account" | "source" | "trusted-source";
  readonly account: string | null;
  /** The client address; for a trusted source only the start of its hash (the address is not stored). */
  readonly source: string | null;
  readonly failures: number;
  /** Refused until then (ISO time), or null while it still takes guesses. */
  readonly lockedUntil: string | null;
  /** When the failures counted so far are forgotten (ISO time), unless it locks first. */
  readonly windowEnds: string;
}

export interface UnlockResult {
  readonly countersRemoved: number;
}

export function createLockoutsService(db: Database, settings: GuessingSettings) {
  const counters = createGuessCounters(db);
  const windowMs = settings.windowSeconds * 1000;
  return {
    /** Every account and source with failures in its window, or locked. */
    async list(now: number = Date.now()): Promise<Lockout[]> {
      const rows = await counters.live(windowMs, now);
      return rows.map((row) => {
        const trusted = row.scope === "trusted";
        const account =
          row.scope === "account" ? row.key : trusted ? row.key.slice(SOURCE_HASH_LENGTH) : null;
        const source =
          row.scope === "source" ? row.key : trusted ? `sha256:${row.key.slice(0, 12)}…` : null;
        return {
          kind: trusted ? "trusted-source" : row.scope,
          account,
          source,
          failures: row.failures,
          lockedUntil:
            row.lockedUntil !== null && row.lockedUntil > now
              ? new Date(row.lockedUntil).toISOString()
              : null,
          windowEnds: new Date(row.windowStart + windowMs).toISOString(),
        } as Lockout;
      });
    },
    /**
     * Forgets the failures of an account (from every source) and/or of a source address, and
     * records who lifted what in the audit trail (a lifted limit is a security decision).
     */
    async unlock(
      target: { account?: string; source?: string },
      actor = "server",
    ): Promise<UnlockResult> {
      const countersRemoved = await counters.remove(target);
      await recordAuditEventIn(db.prisma, {
        type: "lockout.lifted",
        outcome: "success",
        actor,
        target: target.account ?? null,
        sourceAddress: target.source ?? null,
        details: { countersRemoved },
      });
      return { countersRemoved };
    },
  };
}

export type LockoutsService = ReturnType<typeof createLockoutsService>;

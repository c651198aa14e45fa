// The one guessing policy of every password check the server makes (/token/gettoken, POST /login
// in all its forms; database and users.yaml users alike). See docs/guessing-policy.md for the
// rules and their trade-offs. Every check runs through `check`: it reserves one failure in each
// counter that applies BEFORE the password is looked at, and gives them back on success.

import type { GuessingSettings } from "../config/index.js";
import type { Database } from "../db/index.js";
import { type CounterLimit, type CounterScope, createGuessCounters } from "./guess-counters.js";
import { createTrustedSources, hashSource } from "./trusted-sources.js";

/** Who is guessing what: the username as typed and the client address (request.ip). */
export interface PasswordAttempt {
  readonly account: string;
  readonly source: string;
}

export type GuardedCheck<T> =
  | { readonly limited: true; readonly retryAfterSec: number }
  | { readonly limited: false; readonly result: T };

/**
 * What a check came to: a failed guess (wrong password or unknown user: both count, so that
 * the answers cannot tell them apart), a success, or no guess at all (e.g. a missing field).
 */
export type GuessOutcome = "failure" | "success" | "no-guess";

export interface GuessingPolicy {
  /** Runs `verify` unless a bound is used up (then `verify` does not run at all). */
  check<T>(
    attempt: PasswordAttempt,
    verify: () => Promise<T>,
    outcomeOf: (result: T) => GuessOutcome,
  ): Promise<GuardedCheck<T>>;
}

/** Stale counters and expired trusted sources are deleted at most this often per process. */
const PRUNE_INTERVAL_MS = 10 * 60_000;
/**
 * A success from a trusted source moves its expiry only when that moves it by more than this:
 * one write per hour instead of one per login. The trust may end up to an hour before
 * `trusted_source_days` after the last login, never later.
 */
const TRUST_REFRESH_MS = 60 * 60_000;

export function createGuessingPolicy(
  db: Database,
  settings: GuessingSettings,
  now: () => number = Date.now,
): GuessingPolicy {
  const counters = createGuessCounters(db);
  const trusted = createTrustedSources(db);
  const windowMs = settings.windowSeconds * 1000;
  const limit = (max: number): CounterLimit => ({
    max,
    windowMs,
    lockoutMs: settings.lockoutSeconds * 1000,
  });
  const perAccount = limit(settings.maxFailuresPerAccount);
  const perSource = limit(settings.maxFailuresPerSource);
  const trustedDaysMs = settings.trustedSourceDays * 86_400_000;
  let nextPrune = 0;

  /** The counters an attempt is held to, and until when its source is trusted (or null). */
  async function boundsOf(attempt: PasswordAttempt, sourceHash: string, at: number) {
    const bounds: { scope: CounterScope; key: string; limit: CounterLimit }[] = [];
    const trustedUntil =
      perAccount.max > 0 && trustedDaysMs > 0
        ? await trusted.trustedUntil(attempt.account, sourceHash, at)
        : null;
    if (trustedUntil !== null) {
      // A source this account logged in from lately: guesses from elsewhere (the account and
      // source counters) cannot lock it out; guesses from here have a bound of their own.
      bounds.push({ scope: "trusted", key: sourceHash + attempt.account, limit: perAccount });
      return { bounds, trustedUntil };
    }
    if (perAccount.max > 0)
      bounds.push({ scope: "account", key: attempt.account, limit: perAccount });
    if (perSource.max > 0) bounds.push({ scope: "source", key: attempt.source, limit: perSource });
    return { bounds, trustedUntil };
  }

  function pruneNowAndThen(at: number) {
    if (at < nextPrune) return;
    nextPrune = at + PRUNE_INTERVAL_MS;
    // Not awaited: nobody waits for housekeeping; a failure is retried at the next interval.
    void Promise.all([counters.pruneStale(windowMs, at), trusted.pruneExpired(at)]).catch(() => {});
  }

  return {
    async check<T>(
      attempt: PasswordAttempt,
      verify: () => Promise<T>,
      outcomeOf: (result: T) => GuessOutcome,
    ): Promise<GuardedCheck<T>> {
      if (perAccount.max === 0 && perSource.max === 0) {
        return { limited: false, result: await verify() };
      }
      const at = now();
      pruneNowAndThen(at);
      const sourceHash = hashSource(attempt.source);
      const reserved: {
        scope: CounterScope;
        key: string;
        windowStart: bigint;
        limit: CounterLimit;
      }[] = [];
      const giveBack = () =>
        Promise.all(reserved.map((r) => counters.release(r.scope, r.key, r.windowStart)));
      const { bounds, trustedUntil } = await boundsOf(attempt, sourceHash, at);
      for (const bound of bounds) {
        const reservation = await counters.reserve(bound.scope, bound.key, bound.limit, at);
        if (!reservation.ok) {
          await giveBack();
          return { limited: true, retryAfterSec: Math.ceil(reservation.retryAfterMs / 1000) };
        }
        reserved.push({ ...bound, windowStart: reservation.windowStart });
      }
      let result: T;
      try {
        result = await verify();
      } catch (error) {
        // The server failed, not the guess.
        await giveBack();
        throw error;
      }
      const outcome = outcomeOf(result);
      if (outcome !== "failure") {
        await giveBack();
        const trustUntil = now() + trustedDaysMs;
        if (
          outcome === "success" &&
          trustedDaysMs > 0 &&
          (trustedUntil === null || trustUntil - trustedUntil > TRUST_REFRESH_MS)
        ) {
          await trusted.remember(attempt.account, sourceHash, trustUntil).catch(() => {
            // A parallel success wrote the same row; either expiry is fine.
          });
        }
        return { limited: false, result };
      }
      const failedAt = now();
      await Promise.all(
        reserved.map((r) =>
          counters.confirmFailure(r.scope, r.key, r.windowStart, r.limit, failedAt),
        ),
      );
      return { limited: false, result };
    },
  };
}

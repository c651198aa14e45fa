// Limits failed POST /login attempts per client address (the original had no limit at all).

export interface LoginRateLimit {
  /** Failed attempts per client address per window; 0: no limit. */
  readonly max: number;
  readonly timeWindowMs: number;
}

/** Addresses remembered at most; beyond, expired windows are dropped, then the oldest. */
const MAX_TRACKED_ADDRESSES = 100_000;

type Reservation = { ok: true; succeeded(): void } | { ok: false; retryAfterSec: number };

/**
 * Counts failed logins per client address in a fixed window (the first failure opens it). Once
 * an address has `max` failures, every attempt from it is refused until the window ends — also
 * one with the right password, else guessing would simply go on. Successful logins do not count
 * and do not reset the count (an attacker with one valid account could reset it otherwise).
 * In-process: each server process counts on its own; the count restarts with the process.
 *
 * Why not @fastify/rate-limit: it counts every request, so people who log in often (scripts,
 * several tabs) used up the budget although nothing was guessed.
 */
export class LoginFailureLimiter {
  private readonly windows = new Map<string, { failures: number; resetAt: number }>();

  constructor(
    private readonly limit: LoginRateLimit,
    private readonly now: () => number,
  ) {}

  /**
   * Called right before a password is checked: reserves one failure (so parallel guesses cannot
   * overshoot the limit), or refuses when the address is over its limit. `succeeded()` gives the
   * reservation back.
   */
  reserve(address: string): Reservation {
    const now = this.now();
    let window = this.windows.get(address);
    if (window !== undefined && now >= window.resetAt) {
      this.windows.delete(address);
      window = undefined;
    }
    if (window !== undefined && window.failures >= this.limit.max) {
      return { ok: false, retryAfterSec: Math.max(1, Math.ceil((window.resetAt - now) / 1000)) };
    }
    if (window === undefined) {
      window = { failures: 0, resetAt: now + this.limit.timeWindowMs };
      this.remember(address, window, now);
    }
    const reserved = window;
    reserved.failures += 1;
    return {
      ok: true,
      succeeded: () => {
        reserved.failures = Math.max(0, reserved.failures - 1);
        if (reserved.failures === 0 && this.windows.get(address) === reserved) {
          this.windows.delete(address);
        }
      },
    };
  }

  private remember(address: string, window: { failures: number; resetAt: number }, now: number) {
    if (this.windows.size >= MAX_TRACKED_ADDRESSES) {
      for (const [key, entry] of this.windows) if (now >= entry.resetAt) this.windows.delete(key);
      // Still full (a flood of addresses): forget the oldest window.
      const oldest = this.windows.keys().next();
      if (this.windows.size >= MAX_TRACKED_ADDRESSES && !oldest.done) {
        this.windows.delete(oldest.value);
      }
    }
    this.windows.set(address, window);
  }
}

/**
 * The failure limit in force: an explicit override (tests), `false` for none, or — undefined —
 * `[login] rate_limit_per_minute` from the settings.
 */
export function effectiveLoginRateLimit(
  rateLimit: LoginRateLimit | false | undefined,
  perMinuteSetting: number,
): LoginRateLimit | null {
  if (rateLimit === false) return null;
  const limit = rateLimit ?? { max: perMinuteSetting, timeWindowMs: 60_000 };
  return limit.max > 0 ? limit : null;
}

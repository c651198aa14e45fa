// While the database is down every request fails the same way; a stack trace per request buries
// the log (3,500 lines in 17 s were seen). The first occurrence of an error is logged in full; the
// same error (same code and message) again within the interval is only counted, and the count is
// logged once when the interval ends.

export interface RepeatedErrorLogger {
  error(details: object, message: string): void;
}

export interface RepeatedErrorLog {
  /** Logs `details` at error level unless the same `key` was logged within the interval. */
  report(key: string, details: object, message: string): void;
  /** Logs the counts still pending and stops the timers (at close). */
  flush(): void;
}

export const REPEATED_ERROR_INTERVAL_MS = 10_000;

/** More distinct keys than this within one interval are not tracked (bounded memory). */
const MAX_TRACKED_KEYS = 1_000;

interface Tracked {
  suppressed: number;
  message: string;
  timer: NodeJS.Timeout;
}

export function createRepeatedErrorLog(
  logger: () => RepeatedErrorLogger,
  intervalMs: number = REPEATED_ERROR_INTERVAL_MS,
): RepeatedErrorLog {
  const tracked = new Map<string, Tracked>();

  const endInterval = (key: string) => {
    const entry = tracked.get(key);
    if (!entry) return;
    tracked.delete(key);
    clearTimeout(entry.timer);
    if (entry.suppressed > 0) {
      logger().error(
        { repeated: entry.suppressed, intervalMs, key },
        `${entry.message} (the same error ${entry.suppressed} more times in ${Math.round(intervalMs / 1000)} s)`,
      );
    }
  };

  return {
    report(key, details, message) {
      const entry = tracked.get(key);
      if (entry) {
        entry.suppressed += 1;
        return;
      }
      logger().error(details, message);
      if (tracked.size >= MAX_TRACKED_KEYS) return;
      const timer = setTimeout(() => endInterval(key), intervalMs);
      timer.unref();
      tracked.set(key, { suppressed: 0, message, timer });
    },
    flush() {
      for (const key of [...tracked.keys()]) endInterval(key);
    },
  };
}

/** The key of an error for de-duplication: its code and the first line of its message. */
export function repeatedErrorKey(code: string, error: unknown): string {
  const cause = error instanceof Error ? error.message : String(error);
  const firstLine = cause.split("\n").find((line) => line.trim() !== "") ?? "";
  return `${code}: ${firstLine.trim().slice(0, 200)}`;
}

import { DEFAULT_TIMEOUT_MS } from "../../http/http-transport.js";

/** `--timeout SECONDS`: how long one HTTP request to the server may take. */
export const DEFAULT_TIMEOUT_SECONDS = DEFAULT_TIMEOUT_MS / 1000;
/** An hour: longer waits are a typo, not a slow server. */
export const MAX_TIMEOUT_SECONDS = 3600;

/**
 * yargs `coerce` for --timeout: a positive number of seconds (fractions allowed, e.g. 0.5).
 * Throwing here makes yargs report a usage error (exit status 2) before any command runs.
 */
export function parseTimeoutSeconds(value: unknown): number {
  const given = Array.isArray(value) ? value.at(-1) : value;
  const seconds = typeof given === "number" ? given : Number(String(given).trim());
  if (
    String(given).trim() === "" ||
    !Number.isFinite(seconds) ||
    seconds <= 0 ||
    seconds > MAX_TIMEOUT_SECONDS
  ) {
    throw new Error(
      `--timeout must be a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS} (got "${String(given)}")`,
    );
  }
  return seconds;
}

/** Seconds (as given on the command line) → the Client's `timeoutMs`. */
export function timeoutMsFromSeconds(seconds: number | undefined): number {
  return Math.ceil((seconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000);
}

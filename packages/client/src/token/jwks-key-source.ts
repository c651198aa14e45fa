// Why not jose's createRemoteJWKSet (checked against jose 6.2): it has no cooldown after a FAILED
// fetch and no use of the last good key set once it is older than `cacheMaxAge`. With the JWKS
// URL down, every verification would then wait for a fresh fetch (up to the timeout) and fail,
// even for tokens whose key is cached, and a flood of tokens would become a flood of requests to
// the failing URL. Here a failed fetch also starts the cooldown and cached keys stay usable (the
// tests "keeps verifying with cached keys when the JWKS URL is down" and "reports key_unavailable
// when the first fetch fails … recovers after the cooldown" hold that). It also keeps the HTTP
// status of a refused answer for the Client's error codes (jose throws a bare "Expected 200 OK")
// and caps the body size.

import type { JsonWebKey, KeyObject } from "node:crypto";
import { keyFitsAlgorithm } from "./algorithms.js";
import { fetchJsonDocument } from "./fetch-json-document.js";
import { importJwkPublicKey } from "./import-verification-key.js";
import type { KeyLookup, KeySource, TokenKeyHint } from "./key-source.js";

export interface JwksKeySourceOptions {
  /** Minimum time between two fetches, so unknown-kid tokens cannot hammer the JWKS URL. */
  cooldownMs?: number;
  /** Per fetch. */
  timeoutMs?: number;
  /** After this age the set is refetched in the background (rotation removes retired keys). */
  maxAgeMs?: number;
  /** Injected to use a custom CA / proxy dispatcher; defaults to the global fetch. */
  fetch?: typeof globalThis.fetch;
  /** Clock, for tests. */
  now?: () => number;
}

export interface JwksKeySource extends KeySource {
  readonly url: string;
  /** Fetches now (respecting nothing but in-flight deduplication). Rejects when the fetch fails. */
  refresh(): Promise<void>;
  /**
   * Why the last fetch failed (null after a successful one, or before any): the fetch's own error
   * (connection refused, TLS, timeout: `TypeError: fetch failed` with a `cause`, or a
   * `TimeoutError`), or a JwksResponseError when the URL answered but not with a key set. Lets a
   * caller tell "the token is invalid" from "the keys could not be fetched" (`key_unavailable`).
   */
  readonly lastFetchError: unknown;
}

/** The JWKS URL answered, but not with a usable key set (HTTP error, not JSON, no `keys`). */
export class JwksResponseError extends Error {
  readonly httpStatus: number;
  constructor(message: string, httpStatus: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "JwksResponseError";
    this.httpStatus = httpStatus;
  }
}

interface CachedKey {
  key: KeyObject;
  kid?: string;
  alg?: string;
}

/** Larger bodies are not a key set: refuse rather than buffer them. */
const MAX_JWKS_BYTES = 512 * 1024;

export const SIGNING_KEY_UNAVAILABLE = "signing key unavailable";

export function createJwksKeySource(
  url: string | URL,
  options: JwksKeySourceOptions = {},
): JwksKeySource {
  const jwksUrl = String(url);
  const cooldownMs = options.cooldownMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const maxAgeMs = options.maxAgeMs ?? 10 * 60_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;

  let cache: CachedKey[] = [];
  let loadedAt: number | null = null;
  let lastAttemptAt: number | null = null;
  let lastFetchFailed = false;
  let lastFetchError: unknown = null;
  let inflight: Promise<void> | null = null;

  function refresh(): Promise<void> {
    if (inflight) return inflight;
    lastAttemptAt = now();
    inflight = fetchKeySet()
      .then((keys) => {
        cache = keys;
        loadedAt = now();
        lastFetchFailed = false;
        lastFetchError = null;
      })
      .catch((err: unknown) => {
        lastFetchFailed = true;
        lastFetchError = err;
        throw err;
      })
      .finally(() => {
        inflight = null;
      });
    return inflight;
  }

  async function fetchKeySet(): Promise<CachedKey[]> {
    const fetched = await fetchJsonDocument(jwksUrl, {
      fetch: doFetch,
      timeoutMs,
      maxBytes: MAX_JWKS_BYTES,
      problem: (problem) =>
        problem.kind === "status"
          ? new JwksResponseError(
              `JWKS ${jwksUrl} answered HTTP ${problem.httpStatus}`,
              problem.httpStatus,
            )
          : problem.kind === "too-large"
            ? new JwksResponseError(`JWKS ${jwksUrl} is too large`, problem.httpStatus)
            : new JwksResponseError(`JWKS ${jwksUrl} is not JSON`, problem.httpStatus, {
                cause: problem.cause,
              }),
    });
    const body = fetched.body as { keys?: unknown } | null;
    if (!body || !Array.isArray(body.keys)) {
      throw new JwksResponseError(`JWKS ${jwksUrl} has no "keys" array`, fetched.httpStatus);
    }
    const keys: CachedKey[] = [];
    for (const jwk of body.keys as Array<JsonWebKey & { kid?: unknown; alg?: unknown }>) {
      if (typeof jwk !== "object" || jwk === null || jwk.use === "enc") continue;
      try {
        keys.push({
          key: importJwkPublicKey(jwk),
          kid: typeof jwk.kid === "string" ? jwk.kid : undefined,
          alg: typeof jwk.alg === "string" ? jwk.alg : undefined,
        });
      } catch {
        // One unusable entry (an algorithm this runtime lacks) must not hide the others.
      }
    }
    return keys;
  }

  function cooldownElapsed(): boolean {
    return lastAttemptAt === null || now() - lastAttemptAt >= cooldownMs;
  }

  function matching(hint: TokenKeyHint): KeyObject[] {
    return cache
      .filter((c) => (hint.kid === undefined ? true : c.kid === hint.kid))
      .filter((c) => c.alg === undefined || c.alg === hint.alg)
      .filter((c) => keyFitsAlgorithm(c.key, hint.alg))
      .map((c) => c.key);
  }

  async function refreshQuietly(): Promise<void> {
    try {
      await refresh();
    } catch {
      // Reported through lastFetchFailed; cached keys stay usable.
    }
  }

  return {
    url: jwksUrl,
    refresh,
    get lastFetchError() {
      return lastFetchError;
    },
    async getKeys(hint): Promise<KeyLookup> {
      // First use (or a concurrent first use): wait for the initial load.
      if (loadedAt === null && (inflight !== null || cooldownElapsed())) await refreshQuietly();

      let keys = matching(hint);
      if (keys.length > 0) {
        if (loadedAt !== null && now() - loadedAt > maxAgeMs && cooldownElapsed()) {
          void refreshQuietly();
        }
        return { ok: true, keys };
      }
      // An unknown kid may be a freshly rotated key: refetch, but at most once per cooldown.
      if (inflight !== null || cooldownElapsed()) {
        await refreshQuietly();
        keys = matching(hint);
        if (keys.length > 0) return { ok: true, keys };
      }
      if (lastFetchFailed) {
        return { ok: false, reason: "key_unavailable", detail: SIGNING_KEY_UNAVAILABLE };
      }
      return {
        ok: false,
        reason: "unknown_kid",
        detail:
          hint.kid === undefined
            ? `no key in ${jwksUrl} fits ${hint.alg}`
            : `kid "${hint.kid}" is not in ${jwksUrl}`,
      };
    },
  };
}

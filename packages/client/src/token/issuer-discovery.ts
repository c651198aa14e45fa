import { fetchJsonDocument } from "./fetch-json-document.js";

// Learns the token server's issuer from its discovery document
// (`<public_url>/.well-known/openid-configuration`, the "issuer" member), for verifiers that know
// the server only by URL. Fetched once and kept (an issuer does not change while a server runs);
// a failed fetch is retried, but not more often than the cooldown, so a flood of tokens does not
// become a flood of requests to a failing server.

export interface IssuerDiscoveryOptions {
  /** Minimum time between two failed fetches; default 30 s. */
  cooldownMs?: number;
  /** Per fetch; default 5 s. */
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
  now?: () => number;
}

export interface IssuerDiscovery {
  readonly url: string;
  /** The discovered issuer; rejects when it cannot be learned (see `lastFetchError`). */
  issuer(): Promise<string>;
  /** Why the last fetch failed (a DiscoveryResponseError when the server answered), or null. */
  readonly lastFetchError: unknown;
}

/** The discovery URL answered, but without a usable "issuer". */
export class DiscoveryResponseError extends Error {
  readonly httpStatus: number;
  constructor(message: string, httpStatus: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "DiscoveryResponseError";
    this.httpStatus = httpStatus;
  }
}

const MAX_DISCOVERY_BYTES = 64 * 1024;

/** The discovery document beside a JWKS URL (`…/.well-known/jwks.json` → `…/openid-configuration`). */
export function discoveryUrlBeside(jwksUrl: string): string {
  return new URL("openid-configuration", jwksUrl).href;
}

export function createIssuerDiscovery(
  url: string,
  options: IssuerDiscoveryOptions = {},
): IssuerDiscovery {
  const cooldownMs = options.cooldownMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const doFetch = options.fetch ?? globalThis.fetch;
  const now = options.now ?? Date.now;
  let found: Promise<string> | null = null;
  let failedAt: number | null = null;
  let lastFetchError: unknown = null;

  async function fetchIssuer(): Promise<string> {
    const fetched = await fetchJsonDocument(url, {
      fetch: doFetch,
      timeoutMs,
      maxBytes: MAX_DISCOVERY_BYTES,
      problem: (problem) =>
        problem.kind === "status"
          ? new DiscoveryResponseError(
              `${url} answered HTTP ${problem.httpStatus}`,
              problem.httpStatus,
            )
          : problem.kind === "too-large"
            ? new DiscoveryResponseError(`${url} is too large`, problem.httpStatus)
            : new DiscoveryResponseError(`${url} is not JSON`, problem.httpStatus, {
                cause: problem.cause,
              }),
    });
    const body = fetched.body as { issuer?: unknown } | null;
    if (typeof body?.issuer !== "string" || body.issuer === "") {
      throw new DiscoveryResponseError(`${url} names no "issuer"`, fetched.httpStatus);
    }
    return body.issuer;
  }

  return {
    url,
    get lastFetchError() {
      return lastFetchError;
    },
    issuer() {
      if (found) return found;
      if (failedAt !== null && now() - failedAt < cooldownMs) {
        return Promise.reject(lastFetchError);
      }
      found = fetchIssuer().then(
        (issuer) => {
          lastFetchError = null;
          return issuer;
        },
        (err: unknown) => {
          lastFetchError = err;
          failedAt = now();
          found = null;
          throw err;
        },
      );
      return found;
    },
  };
}

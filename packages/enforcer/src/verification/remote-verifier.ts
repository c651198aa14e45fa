import { deny } from "../denial.js";
import type { EnforcerLogger } from "../logger.js";
import type { TokenVerifier, VerificationOutcome } from "./token-verifier.js";

/** A verify_token answer is a few hundred bytes; anything huge is not one. */
const MAX_RESPONSE_BYTES = 256 * 1024;

/**
 * Asks the token server (`GET <tl_url>/token/verify_token`, reference §3.3) instead of verifying
 * locally, for deployments that want the server's view (revocation, deleted users). The server
 * answers HTTP 201 with the original's `{status, message, payload}` for every outcome.
 */
export function createRemoteVerifier(options: {
  url: string;
  timeoutMs: number;
  logger: EnforcerLogger;
  fetch?: typeof globalThis.fetch;
}): TokenVerifier {
  const doFetch = options.fetch ?? globalThis.fetch;
  const { url, timeoutMs, logger } = options;
  const unavailable = () =>
    deny("VERIFIER_UNAVAILABLE", "the token server could not be asked to verify the token");

  return {
    kind: "remote",
    async verify(token): Promise<VerificationOutcome> {
      let body: unknown;
      try {
        const res = await doFetch(url, {
          headers: { "x-auth-token": token, accept: "application/json" },
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await res.text();
        if (!res.ok || text.length > MAX_RESPONSE_BYTES) {
          logger.error({ status: res.status }, "remote token verification answered an error");
          return unavailable();
        }
        body = JSON.parse(text);
      } catch (err) {
        logger.error({ err: (err as Error).message }, "remote token verification failed");
        return unavailable();
      }
      const { status, payload } = (body ?? {}) as { status?: unknown; payload?: unknown };
      if (status === "Verification Successful") {
        if (payload && typeof payload === "object" && !Array.isArray(payload)) {
          return { ok: true, claims: payload as Record<string, unknown> };
        }
        return deny("CLAIMS_INVALID", "the token server returned no claims");
      }
      if (status === "Signature expired") return deny("TOKEN_EXPIRED", "the token has expired");
      if (status === "Invalid token") {
        return deny("TOKEN_INVALID", "the token server rejected the token");
      }
      logger.error({ status: String(status) }, "remote token verification gave an unknown answer");
      return unavailable();
    },
  };
}

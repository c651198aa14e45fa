import { normaliseTokenClaims, VERIFY_STATUS } from "@tokenleader/client";
import { deny } from "../denial.js";
import type { EnforcerLogger } from "../logger.js";
import type { TokenVerifier, VerificationOutcome } from "./token-verifier.js";

/** A verify_token answer is a few hundred bytes; anything huge is not one. */
const MAX_RESPONSE_BYTES = 256 * 1024;
/** The server's reason is passed on to the caller: a sentence, never a page. */
const MAX_REASON_LENGTH = 200;

/**
 * Asks the token server (`GET <tl_url>/token/verify_token`, reference §3.3) instead of verifying
 * locally, for deployments that want the server's view (revocation, deleted users). The
 * tokenleader server answers 200 for a valid token and 401 for a refused one; the original
 * answered 201 for every outcome. A refusal is a verdict on the token (401 TOKEN_EXPIRED or
 * TOKEN_INVALID with the server's reason); only a server that cannot give one (unreachable, too
 * slow, 5xx, throttling, an answer that is not a verdict) makes a 503 VERIFIER_UNAVAILABLE.
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
      let status: number;
      let text: string;
      try {
        const res = await doFetch(url, {
          headers: { "x-auth-token": token, accept: "application/json" },
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = res.status;
        text = await res.text();
      } catch (err) {
        logger.error({ err: (err as Error).message }, "remote token verification failed");
        return unavailable();
      }
      // 408 and 429 say "not now", not "this token is bad": an outage as far as callers go.
      if (status >= 500 || status === 408 || status === 429 || text.length > MAX_RESPONSE_BYTES) {
        logger.error({ status }, "remote token verification answered an error");
        return unavailable();
      }
      // No such route: a wrong remoteVerifyUrl must show in the log, not as 401 for every token.
      if (status === 404 || status === 405) {
        logger.error(
          { status },
          "remote token verification: no verify_token here, check remoteVerifyUrl",
        );
        return unavailable();
      }
      const body = parseObject(text);
      const verdict = body?.["status"];
      if (status >= 400 && status < 500) return refusal(verdict, body, status, logger);
      if (status < 200 || status >= 300) {
        logger.error({ status }, "remote token verification gave an unexpected HTTP status");
        return unavailable();
      }
      if (verdict === VERIFY_STATUS.success) {
        const payload = body?.["payload"];
        if (payload && typeof payload === "object" && !Array.isArray(payload)) {
          // A tokenleader server answers in the tokenleader layout; another may pass a
          // standard-profile token's claims as they are.
          const normalised = normaliseTokenClaims(payload as Record<string, unknown>);
          if (normalised.ok) return { ok: true, claims: normalised.claims };
          return deny("CLAIMS_INVALID", normalised.problem);
        }
        return deny("CLAIMS_INVALID", "the token server returned no claims");
      }
      // The original server's refusals came with 201.
      if (verdict === VERIFY_STATUS.expired || verdict === VERIFY_STATUS.invalid) {
        return refusal(verdict, body, status, logger);
      }
      logger.error({ status: String(verdict) }, "remote token verification gave an unknown answer");
      return unavailable();
    },
  };
}

/** The server refused the token: its verdict, with its reason. */
function refusal(
  verdict: unknown,
  body: Record<string, unknown> | undefined,
  httpStatus: number,
  logger: EnforcerLogger,
): VerificationOutcome {
  const reason =
    serverReason(body?.["message"]) ?? `the token server refused the token (HTTP ${httpStatus})`;
  logger.debug?.(
    { status: httpStatus, verdict: String(verdict) },
    "the token server refused a token",
  );
  return verdict === VERIFY_STATUS.expired
    ? deny("TOKEN_EXPIRED", reason)
    : deny("TOKEN_INVALID", reason);
}

/** The server's message when it is one short line of printable text, else nothing. */
function serverReason(message: unknown): string | undefined {
  if (typeof message !== "string") return undefined;
  const trimmed = message.trim();
  if (trimmed === "" || trimmed.length > MAX_REASON_LENGTH) return undefined;
  return /^[^\p{Cc}\p{Cf}]+$/u.test(trimmed) ? trimmed : undefined;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

import {
  expiredResult,
  invalidResult,
  type VerifyExpired,
  type VerifyInvalid,
} from "./verify-results.js";

// The claim rules of every tokenleader verifier (server, client, enforcer), applied after the
// signature is known good: who issued the token (`iss`) and when (`exp`, `iat`, `nbf`).

/** How far `iat`/`nbf` may lie in the future (clocks of two hosts differ a little). */
export const DEFAULT_CLOCK_LEEWAY_SEC = 60;

export interface IssuerAndTimePolicy {
  /** The token's `iss` must be this (or one of these). Unset: `iss` is not checked. */
  issuer?: string | readonly string[];
  /**
   * With `issuer` set, also accept a token that has no `iss` at all: tokenleader 1.8 issued
   * none. Off by default; a compatibility switch while such tokens are still in use.
   */
  acceptMissingIssuer?: boolean;
  /** Seconds an `exp` may lie in the past and still count as not expired; default 0. */
  clockToleranceSec?: number;
  /** Seconds an `iat` or `nbf` may lie in the future; default DEFAULT_CLOCK_LEEWAY_SEC. */
  clockLeewaySec?: number;
}

/** Null when the claims pass; else the outcome that refuses the token. */
export function checkIssuerAndTimes(
  payload: Record<string, unknown>,
  policy: IssuerAndTimePolicy,
  nowSec: number,
): VerifyExpired | VerifyInvalid | null {
  const issuerProblem = checkIssuer(payload.iss, policy);
  if (issuerProblem) return invalidResult("wrong_issuer", issuerProblem);
  const leeway = policy.clockLeewaySec ?? DEFAULT_CLOCK_LEEWAY_SEC;
  for (const claim of ["iat", "nbf"] as const) {
    const value = payload[claim];
    if (typeof value === "number" && value > nowSec + leeway) {
      return invalidResult("not_yet_valid", `"${claim}" lies ${value - nowSec} s in the future`);
    }
  }
  const exp = payload.exp;
  if (typeof exp === "number" && exp <= nowSec - (policy.clockToleranceSec ?? 0)) {
    return expiredResult();
  }
  return null;
}

function checkIssuer(iss: unknown, policy: IssuerAndTimePolicy): string | null {
  if (policy.issuer === undefined) return null;
  if (iss === undefined) {
    return policy.acceptMissingIssuer ? null : 'the token has no "iss" (issuer)';
  }
  const expected: readonly string[] =
    typeof policy.issuer === "string" ? [policy.issuer] : policy.issuer;
  return typeof iss === "string" && expected.includes(iss)
    ? null
    : `"iss" is not the expected issuer ${expected.join(" or ")}`;
}

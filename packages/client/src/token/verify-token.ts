import type { KeyObject } from "node:crypto";
import { TOKEN_MAX_LENGTH as MAX_TOKEN_CHARS } from "../settings/input-limits.js";
import { DEFAULT_ALGORITHMS, isTokenAlgorithm, type TokenAlgorithm } from "./algorithms.js";
import { readTokenClaims, TokenClaimsSchema } from "./claims.js";
import { checkIssuerAndTimes, type IssuerAndTimePolicy } from "./issuer-and-time-checks.js";
import { decodeJwsHeader, JwsError, verifyCompactJws } from "./jws-signature.js";
import type { KeyLookup, KeySource, SyncKeySource, TokenKeyHint } from "./key-source.js";
import { normaliseTokenClaims } from "./token-profile.js";
import {
  type InvalidTokenReason,
  invalidResult,
  successResult,
  type VerifyExpired,
  type VerifyInvalid,
  type VerifyResult,
} from "./verify-results.js";
import { VERIFY_STATUS } from "./wire-strings.js";

export interface VerifyTokenOptions extends IssuerAndTimePolicy {
  /** Accepted JWS algorithms; default ["RS512"]. Symmetric algorithms and "none" never pass. */
  algorithms?: readonly string[];
  /** The current time, for tests and replay tools. */
  currentDate?: Date;
}

/** A JWT whose signature, algorithm, key, `iss` and times are good; its claims are not checked. */
export interface VerifiedJwt {
  status: typeof VERIFY_STATUS.success;
  payload: Record<string, unknown>;
}
export type VerifyJwtResult = VerifiedJwt | VerifyExpired | VerifyInvalid;

/**
 * Verifies a tokenleader JWT. Never throws: every failure is one of the original's outcomes, with a
 * machine-readable `reason`. Order follows the original (reference §2.3): structure, algorithm, key,
 * signature, and only then the claims — so a token is "expired" only if its signature is valid.
 */
export async function verifyToken(
  token: string,
  keySource: KeySource,
  options: VerifyTokenOptions = {},
): Promise<VerifyResult> {
  return withTokenClaims(await verifyJwt(token, keySource, options));
}

/**
 * `verifyToken` without a promise, for keys held in memory (`staticKeySource`): the signature check
 * is synchronous on node:crypto, and a caller verifying on every request need not pay for a chain
 * of promises around it.
 */
export function verifyTokenSync(
  token: string,
  keySource: SyncKeySource,
  options: VerifyTokenOptions = {},
): VerifyResult {
  let verified: VerifyJwtResult;
  try {
    const start = startJws(token, options);
    verified = start.ok
      ? verifyWithKeys(token, start, keySource.getKeysSync(start.hint), options)
      : start.result;
  } catch (err) {
    verified = thrown(err);
  }
  return withTokenClaims(verified);
}

/**
 * `verifyToken` without the claims layout: for tokens of the same issuer that carry no user, such
 * as the server's cookie-login refresh tokens. Never throws.
 */
export async function verifyJwt(
  token: string,
  keySource: KeySource,
  options: VerifyTokenOptions = {},
): Promise<VerifyJwtResult> {
  try {
    const start = startJws(token, options);
    if (!start.ok) return start.result;
    return verifyWithKeys(token, start, await keySource.getKeys(start.hint), options);
  } catch (err) {
    return thrown(err);
  }
}

/** The claims of a verified JWT in the tokenleader layout, or why they are not. */
function withTokenClaims(verified: VerifyJwtResult): VerifyResult {
  if (verified.status !== VERIFY_STATUS.success) return verified;
  // Either profile's token comes out in the tokenleader layout (`sub` = the user object).
  const normalised = normaliseTokenClaims(verified.payload);
  if (!normalised.ok) return invalidResult("claims_invalid", normalised.problem);
  const read = readTokenClaims(normalised.claims);
  if (read !== undefined) return successResult(read);
  const claims = TokenClaimsSchema.safeParse(normalised.claims);
  if (!claims.success) {
    return invalidResult("claims_invalid", claims.error.issues.map(describeIssue).join("; "));
  }
  return successResult(claims.data);
}

/** A throw from anywhere in verification: the token is not accepted, never an exception. */
function thrown(err: unknown): VerifyInvalid {
  return invalidResult("malformed", (err as Error)?.message ?? String(err));
}

interface JwsStart {
  ok: true;
  header: Readonly<Record<string, unknown>>;
  alg: TokenAlgorithm;
  hint: TokenKeyHint;
}

/** What is checked before a key is chosen: the structure, the header, the algorithm. Throws. */
function startJws(
  token: string,
  options: VerifyTokenOptions,
): JwsStart | { ok: false; result: VerifyInvalid } {
  const refuse = (reason: InvalidTokenReason, detail: string) => ({
    ok: false as const,
    result: invalidResult(reason, detail),
  });
  if (typeof token !== "string" || token.length === 0) return refuse("malformed", "empty");
  if (token.length > MAX_TOKEN_CHARS) return refuse("malformed", "token too long");
  if (!isCompactJws(token)) return refuse("malformed", "not a compact JWS");

  let header: Readonly<Record<string, unknown>>;
  try {
    header = decodeJwsHeader(token);
  } catch {
    return refuse("malformed", "header is not base64url JSON");
  }
  const alg = header.alg;
  const allowed = options.algorithms ?? DEFAULT_ALGORITHMS;
  if (typeof alg !== "string" || !isTokenAlgorithm(alg) || !allowed.includes(alg)) {
    return refuse("alg_not_allowed", `alg ${String(alg)} is not accepted`);
  }
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== "string")
    return refuse("malformed", "kid is not a string");
  return { ok: true, header, alg, hint: { alg, kid } };
}

/** The signature against each key the source offered, then the issuer and the times. Throws. */
function verifyWithKeys(
  token: string,
  start: JwsStart,
  lookup: KeyLookup,
  options: VerifyTokenOptions,
): VerifyJwtResult {
  if (!lookup.ok) return invalidResult(lookup.reason, lookup.detail);
  const { header, alg } = start;
  if (lookup.keys.length === 0) return invalidResult("bad_signature", `no key can verify ${alg}`);
  let lastFailure: VerifyInvalid = invalidResult("bad_signature");
  for (const key of lookup.keys) {
    const outcome = verifyWithKey(token, header, key, alg, options);
    if (outcome.status !== VERIFY_STATUS.invalid || outcome.reason !== "bad_signature") {
      return outcome;
    }
    lastFailure = outcome;
  }
  return lastFailure;
}

function verifyWithKey(
  token: string,
  header: Readonly<Record<string, unknown>>,
  key: KeyObject,
  alg: TokenAlgorithm,
  options: VerifyTokenOptions,
): VerifyJwtResult {
  let payload: Record<string, unknown>;
  try {
    // The signature and the claims' types; the issuer and the times are checked below, by the
    // rules every tokenleader verifier shares.
    payload = verifyCompactJws(token, header, key, alg);
  } catch (err) {
    if (err instanceof JwsError) return invalidResult(err.kind, err.message);
    throw err;
  }
  const nowSec = Math.floor((options.currentDate?.getTime() ?? Date.now()) / 1000);
  return (
    checkIssuerAndTimes(payload, options, nowSec) ?? { status: VERIFY_STATUS.success, payload }
  );
}

/** Exactly three dot-separated parts (counted without splitting: this runs for every token). */
function isCompactJws(token: string): boolean {
  const secondDot = token.indexOf(".", token.indexOf(".") + 1);
  return secondDot > 0 && token.indexOf(".", secondDot + 1) === -1;
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  return `${issue.path.map(String).join(".") || "claims"}: ${issue.message}`;
}

import type { KeyObject } from "node:crypto";
import { decodeProtectedHeader, errors, jwtVerify } from "jose";
import { TOKEN_MAX_LENGTH as MAX_TOKEN_CHARS } from "../settings/input-limits.js";
import { DEFAULT_ALGORITHMS, isTokenAlgorithm } from "./algorithms.js";
import { type TokenClaims, TokenClaimsSchema } from "./claims.js";
import type { KeySource } from "./key-source.js";
import { VERIFY_MESSAGE, VERIFY_PAYLOAD, VERIFY_STATUS } from "./wire-strings.js";

/** Why a token was not accepted; stable codes for logs, metrics and callers. */
export type InvalidTokenReason =
  | "malformed"
  | "alg_not_allowed"
  | "bad_signature"
  | "unknown_kid"
  | "key_unavailable"
  | "claims_invalid";

export type VerifyFailureReason = "expired" | InvalidTokenReason;

export interface VerifySuccess {
  status: typeof VERIFY_STATUS.success;
  message: typeof VERIFY_MESSAGE.success;
  payload: TokenClaims;
  reason?: undefined;
}
export interface VerifyExpired {
  status: typeof VERIFY_STATUS.expired;
  message: typeof VERIFY_MESSAGE.expired;
  payload: typeof VERIFY_PAYLOAD.expired;
  reason: "expired";
}
export interface VerifyInvalid {
  status: typeof VERIFY_STATUS.invalid;
  message: typeof VERIFY_MESSAGE.invalid;
  payload: typeof VERIFY_PAYLOAD.invalid;
  reason: InvalidTokenReason;
  /** Human detail for logs; never put it in a response body (it may name keys or URLs). */
  detail?: string;
}
/** The three outcomes of the original, with the original's exact strings (reference §3.3). */
export type VerifyResult = VerifySuccess | VerifyExpired | VerifyInvalid;

export interface VerifyTokenOptions {
  /** Accepted JWS algorithms; default ["RS512"]. Symmetric algorithms and "none" never pass. */
  algorithms?: readonly string[];
  /** When set, the token's `iss` must equal it (the original had no `iss`: leave unset for those). */
  issuer?: string | readonly string[];
  clockToleranceSec?: number;
  /** The current time, for tests and replay tools. */
  currentDate?: Date;
}

export function invalidResult(reason: InvalidTokenReason, detail?: string): VerifyInvalid {
  return {
    status: VERIFY_STATUS.invalid,
    message: VERIFY_MESSAGE.invalid,
    payload: VERIFY_PAYLOAD.invalid,
    reason,
    ...(detail === undefined ? {} : { detail }),
  };
}

export function expiredResult(): VerifyExpired {
  return {
    status: VERIFY_STATUS.expired,
    message: VERIFY_MESSAGE.expired,
    payload: VERIFY_PAYLOAD.expired,
    reason: "expired",
  };
}

export function successResult(payload: TokenClaims): VerifySuccess {
  return { status: VERIFY_STATUS.success, message: VERIFY_MESSAGE.success, payload };
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
  const verified = await verifyJwt(token, keySource, options);
  if (verified.status !== VERIFY_STATUS.success) return verified;
  const claims = TokenClaimsSchema.safeParse(verified.payload);
  if (!claims.success) {
    return invalidResult("claims_invalid", claims.error.issues.map(describeIssue).join("; "));
  }
  return successResult(claims.data);
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
    return await verifyOrThrow(token, keySource, options);
  } catch (err) {
    return invalidResult("malformed", (err as Error)?.message ?? String(err));
  }
}

async function verifyOrThrow(
  token: string,
  keySource: KeySource,
  options: VerifyTokenOptions,
): Promise<VerifyJwtResult> {
  if (typeof token !== "string" || token.length === 0) return invalidResult("malformed", "empty");
  if (token.length > MAX_TOKEN_CHARS) return invalidResult("malformed", "token too long");
  if (token.split(".").length !== 3) return invalidResult("malformed", "not a compact JWS");

  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return invalidResult("malformed", "header is not base64url JSON");
  }
  const alg = header.alg;
  const allowed = (options.algorithms ?? DEFAULT_ALGORITHMS).filter(isTokenAlgorithm);
  if (typeof alg !== "string" || !isTokenAlgorithm(alg) || !allowed.includes(alg)) {
    return invalidResult("alg_not_allowed", `alg ${String(alg)} is not accepted`);
  }
  if (header.kid !== undefined && typeof header.kid !== "string") {
    return invalidResult("malformed", "kid is not a string");
  }

  const lookup = await keySource.getKeys({ alg, kid: header.kid });
  if (!lookup.ok) return invalidResult(lookup.reason, lookup.detail);
  if (lookup.keys.length === 0) return invalidResult("bad_signature", `no key can verify ${alg}`);

  let lastFailure: VerifyInvalid = invalidResult("bad_signature");
  for (const key of lookup.keys) {
    const outcome = await verifyWithKey(token, key, alg, options);
    if (outcome.status !== VERIFY_STATUS.invalid || outcome.reason !== "bad_signature") {
      return outcome;
    }
    lastFailure = outcome;
  }
  return lastFailure;
}

async function verifyWithKey(
  token: string,
  key: KeyObject,
  alg: string,
  options: VerifyTokenOptions,
): Promise<VerifyJwtResult> {
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [alg],
      issuer: options.issuer as string | string[] | undefined,
      clockTolerance: options.clockToleranceSec ?? 0,
      currentDate: options.currentDate,
    });
    return { status: VERIFY_STATUS.success, payload };
  } catch (err) {
    return classifyJoseError(err);
  }
}

function classifyJoseError(err: unknown): VerifyExpired | VerifyInvalid {
  // jose checks the signature before any claim, so JWTExpired implies a valid signature.
  if (err instanceof errors.JWTExpired) return expiredResult();
  if (err instanceof errors.JWSSignatureVerificationFailed) return invalidResult("bad_signature");
  if (err instanceof errors.JWTClaimValidationFailed) {
    return invalidResult("claims_invalid", err.message);
  }
  if (err instanceof errors.JOSEAlgNotAllowed) return invalidResult("alg_not_allowed", err.message);
  if (err instanceof errors.JOSEError) return invalidResult("malformed", err.message);
  // TypeError & co: a key that cannot be used with this alg (e.g. an RSA key below jose's minimum).
  return invalidResult("bad_signature", (err as Error)?.message ?? String(err));
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  return `${issue.path.map(String).join(".") || "claims"}: ${issue.message}`;
}

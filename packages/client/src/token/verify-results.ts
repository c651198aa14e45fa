import type { TokenClaims } from "./claims.js";
import { VERIFY_MESSAGE, VERIFY_PAYLOAD, VERIFY_STATUS } from "./wire-strings.js";

/** Why a token was not accepted; stable codes for logs, metrics and callers. */
export type InvalidTokenReason =
  | "malformed"
  | "alg_not_allowed"
  | "bad_signature"
  | "unknown_kid"
  | "key_unavailable"
  | "claims_invalid"
  /** `iss` is not the expected issuer, or missing where it is required. */
  | "wrong_issuer"
  /** `iat` or `nbf` lies in the future beyond the clock leeway. */
  | "not_yet_valid";

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

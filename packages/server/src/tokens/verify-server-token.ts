import {
  type VerifyJwtResult,
  type VerifyResult,
  type VerifyTokenOptions,
  verifyJwt,
  verifyToken,
} from "@tokenleader/client";
import type { KeySet } from "../keys/index.js";
import { acceptedAlgorithms, keySetKeySource } from "./key-set-source.js";

// The one verification path of tokens the server issued, on the shared verifier of
// @tokenleader/client with the server's own keys: bearer tokens and cookie-login access tokens
// (user claims checked), and cookie-login refresh tokens (no user: claims left to the login).

export interface SignedTokenCheck {
  /** The token's `iss` must be this (cookie-login tokens; the original's bearer tokens had none). */
  readonly issuer?: string;
  /** Accept an expired token whose signature is good (logout of an expired session). */
  readonly allowExpired?: boolean;
}

export interface TokenVerifier {
  /** A token carrying a user (`sub` object): the original's three outcomes. Never throws. */
  verify(token: string): Promise<VerifyResult>;
  /** Any token signed by one of the server's keys; its claims are the caller's. Never throws. */
  verifySigned(token: string, check?: SignedTokenCheck): Promise<VerifyJwtResult>;
}

/** Verifies tokens against the server's key set with the shared verifier. */
export function createTokenVerifier(
  keySet: KeySet,
  options: { now?: () => number } = {},
): TokenVerifier {
  const keySource = keySetKeySource(keySet);
  const algorithms = acceptedAlgorithms(keySet);
  const at = (): VerifyTokenOptions => ({
    algorithms,
    currentDate: options.now ? new Date(options.now()) : undefined,
  });
  return {
    verify(token) {
      return verifyToken(token, keySource, at());
    },
    verifySigned(token, check = {}) {
      return verifyJwt(token, keySource, {
        ...at(),
        ...(check.issuer === undefined ? {} : { issuer: check.issuer }),
        // With allowExpired only the signature (and issuer) matter, not the times.
        ...(check.allowExpired ? { clockToleranceSec: Number.MAX_SAFE_INTEGER } : {}),
      });
    },
  };
}

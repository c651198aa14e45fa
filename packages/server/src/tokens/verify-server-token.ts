import {
  createVerifiedTokenCache,
  expiredResult,
  successResult,
  type TokenClaims,
  VERIFY_STATUS,
  type VerifyJwtResult,
  type VerifyResult,
  type VerifyTokenOptions,
  verifyJwt,
  verifyToken,
} from "@tokenleader/client";
import type { Settings } from "../config/settings-types.js";
import { type KeySet, type KeySetSource, toKeySetSource } from "../keys/index.js";
import { acceptedAlgorithms, keySetKeySource } from "./key-set-source.js";

// The one verification path of tokens the server issued, on the shared verifier of
// @tokenleader/client with the server's own keys: bearer tokens and cookie-login access tokens
// (user claims checked), and cookie-login refresh tokens (no user: claims left to the login).

export interface SignedTokenCheck {
  /** The token's `iss` must be this; default: the server's issuer. */
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

export interface TokenVerifierOptions {
  /** `iss` every token must carry: the server's `[token] issuer`. */
  readonly issuer: string;
  /** Bearer tokens without `iss` (tokenleader 1.8's) pass: `[token] accept_tokens_without_issuer`. */
  readonly acceptMissingIssuer?: boolean;
  /** Seconds `iat`/`nbf` may lie in the future: `[token] clock_leeway_seconds`. */
  readonly clockLeewaySec?: number;
  /**
   * Most verified tokens remembered (default 10000; 0: none). A remembered token skips the
   * signature and claims checks until its `exp`; revocation is the caller's check, every time.
   */
  readonly cacheMaxEntries?: number;
  readonly now?: () => number;
}

/** The verification rules the `[token]` settings choose. */
export function tokenVerifierOptions(token: Settings["token"]): Omit<TokenVerifierOptions, "now"> {
  return {
    issuer: token.issuer,
    acceptMissingIssuer: token.acceptTokensWithoutIssuer,
    clockLeewaySec: token.clockLeewaySeconds,
  };
}

/** Verifies tokens against the server's keys (as they are at each call) with the shared verifier. */
export function createTokenVerifier(
  keys: KeySet | KeySetSource,
  options: TokenVerifierOptions,
): TokenVerifier {
  const source = toKeySetSource(keys);
  const keySource = keySetKeySource(source);
  const at = (): VerifyTokenOptions => ({
    algorithms: acceptedAlgorithms(source),
    clockLeewaySec: options.clockLeewaySec,
    currentDate: options.now ? new Date(options.now()) : undefined,
  });
  // The signature check is most of a /token/verify_token request, and clients present the same
  // token many times. What it decided cannot change before `exp` while the key set stays the
  // same (the issuer and leeway rules are fixed for the life of the process): a key rotation or
  // retirement gives a new key set, and the cache is emptied then. Only successes are kept (a
  // cache of junk would be a memory-filling target); revocation (sessions, `tva`) is not decided
  // here.
  const verified = createVerifiedTokenCache({
    maxEntries: options.cacheMaxEntries ?? 10_000,
    maxAgeMs: Number.POSITIVE_INFINITY,
  });
  let verifiedWith = source.current();
  const clock = options.now ?? Date.now;
  return {
    async verify(token) {
      const keySet = source.current();
      if (keySet !== verifiedWith) {
        verified.clear();
        verifiedWith = keySet;
      }
      const hit = verified.get(token, clock());
      if (hit === "expired") return expiredResult();
      if (hit) return successResult(hit.claims as TokenClaims);
      const result = await verifyToken(token, keySource, {
        ...at(),
        issuer: options.issuer,
        acceptMissingIssuer: options.acceptMissingIssuer,
      });
      if (result.status === VERIFY_STATUS.success) verified.set(token, result.payload, clock());
      return result;
    },
    verifySigned(token, check = {}) {
      // Tokens checked here are the cookie login's, which always carried `iss`.
      return verifyJwt(token, keySource, {
        ...at(),
        issuer: check.issuer ?? options.issuer,
        // With allowExpired only the signature, issuer and issue time matter, not the expiry.
        ...(check.allowExpired ? { clockToleranceSec: Number.MAX_SAFE_INTEGER } : {}),
      });
    },
  };
}

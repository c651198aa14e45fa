import { randomUUID } from "node:crypto";
import { type JWTPayload, SignJWT } from "jose";
import type { SigningKey } from "../keys/index.js";
import type { UserDict } from "../services/index.js";

// Tokens keep the original's claim layout (reference §2.2): integer iat/exp and `sub` as the user
// OBJECT, so every existing client and enforcer keeps working. `iss` and `jti` are additions that
// standard JWT libraries expect, `tva` binds the token to its user's revocation time (see
// sessions/bearer-token-check.ts); the original verifiers ignore unknown claims.

export interface TokenIssuerOptions {
  signingKey: SigningKey;
  lifetimeSeconds: number;
  issuer: string;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  now?: () => number;
}

export interface IssuedTokenClaims {
  iat: number;
  exp: number;
  sub: UserDict;
  iss: string;
  jti: string;
  /** The user's `tokens_valid_after` when the token was issued (ms; 0 for none): revocation. */
  tva?: number;
}

export interface IssuedToken {
  token: string;
  claims: IssuedTokenClaims;
}

export interface TokenIssuer {
  /** `tokensValidAfterMs`: the user's revocation time the token is bound to (claim `tva`). */
  issueToken(subject: UserDict, tokensValidAfterMs?: number): Promise<IssuedToken>;
}

export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  const { signingKey, lifetimeSeconds, issuer } = options;
  const now = options.now ?? Date.now;
  const header = { alg: signingKey.algorithm, typ: "JWT", kid: signingKey.kid };
  return {
    async issueToken(subject, tokensValidAfterMs) {
      const iat = Math.floor(now() / 1000);
      const claims: IssuedTokenClaims = {
        iat,
        exp: iat + lifetimeSeconds,
        sub: subject,
        iss: issuer,
        jti: randomUUID(),
        ...(tokensValidAfterMs === undefined ? {} : { tva: tokensValidAfterMs }),
      };
      // jose signs an object `sub` as given (checked in TOOLCHAIN.md), though its type says string.
      const token = await new SignJWT(claims as unknown as JWTPayload)
        .setProtectedHeader(header)
        .sign(signingKey.privateKey);
      return { token, claims };
    },
  };
}

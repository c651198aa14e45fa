import { serverMetrics } from "../metrics/index.js";
import type { UserDict } from "../services/index.js";
import { createTokenSigner, type SigningKeyChoice } from "./sign-token.js";

// Bearer tokens of /token/gettoken keep the original's claim layout (reference §2.2): integer
// iat/exp and `sub` as the user OBJECT, so every existing client and enforcer keeps working.
// `iss` and `jti` are additions that standard JWT libraries expect, `tva` binds the token to its
// user's revocation time (see sessions/bearer-token-check.ts); the original verifiers ignore
// unknown claims.

export interface TokenIssuerOptions {
  signingKey: SigningKeyChoice;
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
  const signer = createTokenSigner(options);
  const lifetime = { seconds: options.lifetimeSeconds };
  return {
    async issueToken(subject, tokensValidAfterMs) {
      const claims = {
        sub: subject,
        ...(tokensValidAfterMs === undefined ? {} : { tva: tokensValidAfterMs }),
      };
      const signed = await signer.sign(claims, { lifetime });
      serverMetrics.tokenIssued("bearer");
      return signed;
    },
  };
}

import { type TokenProfile, userClaims } from "@tokenleader/client";
import { serverMetrics } from "../metrics/index.js";
import type { UserDict } from "../services/index.js";
import { createTokenSigner, type SigningKeyChoice } from "./sign-token.js";

// Bearer tokens of /token/gettoken keep the original's claim layout (reference §2.2): integer
// iat/exp and `sub` as the user OBJECT, so every existing client and enforcer keeps working.
// `iss` and `jti` are additions that standard JWT libraries expect, `tva` binds the token to its
// user's revocation time (see sessions/bearer-token-check.ts); the original verifiers ignore
// unknown claims. `[token] profile = standard` puts the user id in `sub` and the user object in
// the `tokenleader` claim instead (RFC 7519's string `sub`); `aud` names the service a token was
// asked for (`service` of /token/gettoken).

export interface TokenIssuerOptions {
  signingKey: SigningKeyChoice;
  lifetimeSeconds: number;
  issuer: string;
  /** Claim layout: "tokenleader" (default, `sub` = the user object) or "standard". */
  profile?: TokenProfile;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  now?: () => number;
}

export interface IssuedTokenClaims {
  iat: number;
  exp: number;
  /** The user object, or (standard profile) its id with the object in `tokenleader`. */
  sub: UserDict | string;
  tokenleader?: UserDict;
  /** The catalog name of the service the token was asked for. */
  aud?: string;
  iss: string;
  jti: string;
  /** The user's `tokens_valid_after` when the token was issued (ms; 0 for none): revocation. */
  tva?: number;
}

export interface IssuedToken {
  token: string;
  claims: IssuedTokenClaims;
}

export interface IssueTokenOptions {
  /** The catalog name of the service the token is for: its `aud`. */
  audience?: string;
}

export interface TokenIssuer {
  /** `tokensValidAfterMs`: the user's revocation time the token is bound to (claim `tva`). */
  issueToken(
    subject: UserDict,
    tokensValidAfterMs?: number,
    options?: IssueTokenOptions,
  ): Promise<IssuedToken>;
}

export function createTokenIssuer(options: TokenIssuerOptions): TokenIssuer {
  const signer = createTokenSigner(options);
  const lifetime = { seconds: options.lifetimeSeconds };
  const profile = options.profile ?? "tokenleader";
  return {
    async issueToken(subject, tokensValidAfterMs, { audience } = {}) {
      const claims = {
        ...userClaims(subject, profile),
        ...(audience === undefined ? {} : { aud: audience }),
        ...(tokensValidAfterMs === undefined ? {} : { tva: tokensValidAfterMs }),
      };
      const signed = await signer.sign(claims, { lifetime });
      serverMetrics.tokenIssued("bearer");
      return signed;
    },
  };
}

// The access and refresh tokens of the cookie login. Signed with the server's own key (the one
// published in the JWKS), never a shared HS256 secret like the original's 'super-secret'.
//
// Access token: the bearer-token layout (`sub` = the user object with roles and wfc, so the
// enforcer and /token/verify_token accept it) plus `type: "access"`, `csrf` and `sid`.
// Refresh token: deliberately has NO `sub` object (only `identity`, as flask-jwt-extended named
// it), so every verifier that expects a user rejects it: it is good only at /refresh.
// Signing and signature checks are the server's one path (tokens/); this module adds the claims
// specific to the login (type, sid, csrf, identity) and flask-jwt-extended's refusal messages.

import { VERIFY_STATUS, type VerifyExpired, type VerifyInvalid } from "@tokenleader/client";
import { serverMetrics } from "../metrics/index.js";
import type { WfcRecord } from "../services/index.js";
import { createTokenSigner, type SigningKeyChoice, type TokenVerifier } from "../tokens/index.js";

export type LoginTokenType = "access" | "refresh";
export type LoginUserSource = "database" | "file";

/** The `sub` claim: the original's user dict. File users have id 0 (no database row). */
export interface LoginSubject {
  readonly id: number;
  readonly username: string;
  readonly email: string | null;
  readonly roles: readonly string[];
  readonly wfc: WfcRecord | null;
}

export interface AccessClaims {
  iat: number;
  nbf: number;
  exp: number;
  iss: string;
  jti: string;
  type: "access";
  sid: string;
  csrf?: string;
  sub: LoginSubject;
  /** Database users: their tokens_valid_after (ms) when issued (revocation, as bearer tokens). */
  tva?: number;
}

export interface RefreshClaims {
  iat: number;
  nbf: number;
  exp: number;
  iss: string;
  jti: string;
  type: "refresh";
  sid: string;
  csrf?: string;
  identity: { username: string; authType: LoginUserSource };
  /** Database users: their tokens_valid_after (ms) when the session was made or refreshed. */
  tva?: number;
}

export interface LoginTokenIssuerOptions {
  readonly signingKey: SigningKeyChoice;
  readonly issuer: string;
  readonly accessTtlSeconds: number;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
}

export interface LoginTokenIssuer {
  /** Access token for `sid`; never outlives the session. `csrf` undefined: CSRF protection off. */
  issueAccess(input: {
    subject: LoginSubject;
    sid: string;
    sessionExpiresAt: Date;
    csrf: string | undefined;
    tva?: number | undefined;
  }): Promise<{ token: string; claims: AccessClaims }>;
  /** Refresh token `jti` for `sid`; expires with the session. */
  issueRefresh(input: {
    username: string;
    source: LoginUserSource;
    sid: string;
    jti: string;
    sessionExpiresAt: Date;
    csrf: string | undefined;
    tva?: number | undefined;
  }): Promise<{ token: string; claims: RefreshClaims }>;
}

export function createLoginTokenIssuer(options: LoginTokenIssuerOptions): LoginTokenIssuer {
  const signer = createTokenSigner(options);
  return {
    async issueAccess({ subject, sid, sessionExpiresAt, csrf, tva }) {
      const claims = {
        type: "access" as const,
        sid,
        ...(csrf !== undefined ? { csrf } : {}),
        ...(tva !== undefined ? { tva } : {}),
        sub: {
          id: subject.id,
          username: subject.username,
          email: subject.email,
          roles: [...subject.roles],
          wfc: subject.wfc ? { ...subject.wfc } : null,
        },
      };
      const lifetime = { seconds: options.accessTtlSeconds, until: sessionExpiresAt };
      const signed = await signer.sign(claims, { lifetime, notBefore: true });
      serverMetrics.tokenIssued("access");
      return signed;
    },
    async issueRefresh({ username, source, sid, jti, sessionExpiresAt, csrf, tva }) {
      const claims = {
        type: "refresh" as const,
        sid,
        ...(csrf !== undefined ? { csrf } : {}),
        identity: { username, authType: source },
        ...(tva !== undefined ? { tva } : {}),
      };
      const signed = await signer.sign(claims, {
        lifetime: { until: sessionExpiresAt },
        notBefore: true,
        jti,
      });
      serverMetrics.tokenIssued("refresh");
      return signed;
    },
  };
}

export type LoginTokenCheck<C> =
  | { ok: true; claims: C }
  | { ok: false; code: LoginTokenProblem; reason: string };

export type LoginTokenProblem =
  | "TOKEN_EXPIRED"
  | "TOKEN_INVALID"
  | "TOKEN_SIGNATURE"
  | "TOKEN_WRONG_TYPE";

export interface VerifyLoginTokenOptions {
  /** The server's verifier (its own keys). */
  readonly tokenVerifier: TokenVerifier;
  readonly issuer: string;
  /** Accept an expired token (logout still ends the session of an expired access token). */
  readonly allowExpired?: boolean;
}

/** Verifies a login token of the given type. Reasons are the original's messages where it had one. */
export async function verifyLoginToken<T extends LoginTokenType>(
  token: string,
  type: T,
  options: VerifyLoginTokenOptions,
): Promise<LoginTokenCheck<T extends "access" ? AccessClaims : RefreshClaims>> {
  const verified = await options.tokenVerifier.verifySigned(token, {
    issuer: options.issuer,
    allowExpired: options.allowExpired ?? false,
  });
  if (verified.status !== VERIFY_STATUS.success) return { ok: false, ...loginProblem(verified) };
  const claims = verified.payload;
  if (claims["type"] !== type) {
    return {
      ok: false,
      code: "TOKEN_WRONG_TYPE",
      reason:
        type === "access" ? "Only access tokens are allowed" : "Only refresh tokens are allowed",
    };
  }
  // Every token the login issues expires; one without `exp` was not made by this login.
  if (
    typeof claims["exp"] !== "number" ||
    typeof claims["sid"] !== "string" ||
    typeof claims["jti"] !== "string" ||
    (type === "access" && (typeof claims["sub"] !== "object" || claims["sub"] === null)) ||
    (type === "refresh" && (typeof claims["identity"] !== "object" || claims["identity"] === null))
  ) {
    return { ok: false, code: "TOKEN_INVALID", reason: "Invalid token: claims missing" };
  }
  return { ok: true, claims: claims as never };
}

/** The shared verifier's refusal in the words of flask-jwt-extended, which the login copies. */
function loginProblem(refusal: VerifyExpired | VerifyInvalid): {
  code: LoginTokenProblem;
  reason: string;
} {
  switch (refusal.reason) {
    case "expired":
      return { code: "TOKEN_EXPIRED", reason: "Token has expired" };
    case "bad_signature":
      return { code: "TOKEN_SIGNATURE", reason: "Signature verification failed" };
    case "unknown_kid":
    case "alg_not_allowed":
      return {
        code: "TOKEN_SIGNATURE",
        reason: "Signature verification failed: the token was not signed by this server",
      };
    case "malformed":
      return { code: "TOKEN_INVALID", reason: "Invalid token: not a JWT" };
    default:
      return { code: "TOKEN_INVALID", reason: "Invalid token" };
  }
}

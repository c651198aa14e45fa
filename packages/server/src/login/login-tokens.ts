// The access and refresh tokens of the cookie login. Signed with the server's own key (the one
// published in the JWKS), never a shared HS256 secret like the original's 'super-secret'.
//
// Access token: the bearer-token layout (`sub` = the user object with roles and wfc, so the
// enforcer and /token/verify_token accept it) plus `type: "access"`, `csrf` and `sid`.
// Refresh token: deliberately has NO `sub` object (only `identity`, as flask-jwt-extended named
// it), so every verifier that expects a user rejects it: it is good only at /refresh.

import { randomUUID } from "node:crypto";
import {
  decodeProtectedHeader,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from "jose";
import type { KeySet, SigningKey } from "../keys/index.js";
import type { WfcRecord } from "../services/index.js";

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
  readonly signingKey: SigningKey;
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
  const { signingKey, issuer, accessTtlSeconds } = options;
  const now = options.now ?? Date.now;
  const header = { alg: signingKey.algorithm, typ: "JWT", kid: signingKey.kid };
  const sign = (claims: object) =>
    new SignJWT(claims as JWTPayload).setProtectedHeader(header).sign(signingKey.privateKey);
  const times = (sessionExpiresAt: Date, ttl: number) => {
    const iat = Math.floor(now() / 1000);
    const end = Math.floor(sessionExpiresAt.getTime() / 1000);
    return { iat, nbf: iat, exp: Math.max(iat + 1, Math.min(iat + ttl, end)) };
  };
  return {
    async issueAccess({ subject, sid, sessionExpiresAt, csrf, tva }) {
      const claims: AccessClaims = {
        ...times(sessionExpiresAt, accessTtlSeconds),
        iss: issuer,
        jti: randomUUID(),
        type: "access",
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
      return { token: await sign(claims), claims };
    },
    async issueRefresh({ username, source, sid, jti, sessionExpiresAt, csrf, tva }) {
      const claims: RefreshClaims = {
        ...times(sessionExpiresAt, Number.MAX_SAFE_INTEGER),
        iss: issuer,
        jti,
        type: "refresh",
        sid,
        ...(csrf !== undefined ? { csrf } : {}),
        identity: { username, authType: source },
        ...(tva !== undefined ? { tva } : {}),
      };
      return { token: await sign(claims), claims };
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
  readonly keySet: KeySet;
  readonly issuer: string;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
  /** Accept an expired token (logout still ends the session of an expired access token). */
  readonly allowExpired?: boolean;
}

/** Verifies a login token of the given type. Reasons are the original's messages where it had one. */
export async function verifyLoginToken<T extends LoginTokenType>(
  token: string,
  type: T,
  options: VerifyLoginTokenOptions,
): Promise<LoginTokenCheck<T extends "access" ? AccessClaims : RefreshClaims>> {
  const { keySet } = options;
  let kid: string | undefined;
  let alg: string | undefined;
  try {
    ({ kid, alg } = decodeProtectedHeader(token));
  } catch {
    return { ok: false, code: "TOKEN_INVALID", reason: "Invalid token: not a JWT" };
  }
  const key =
    kid === undefined
      ? undefined
      : keySet.verificationKeys.find((candidate) => candidate.kid === kid);
  if (key === undefined || key.algorithm !== alg) {
    return {
      ok: false,
      code: "TOKEN_SIGNATURE",
      reason: "Signature verification failed: the token was not signed by this server",
    };
  }
  let payload: JWTPayload;
  try {
    const now = options.now ? new Date(options.now()) : new Date();
    ({ payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [key.algorithm],
      issuer: options.issuer,
      currentDate: now,
      // With allowExpired only the signature (and issuer) matter, not exp.
      clockTolerance: options.allowExpired ? Number.MAX_SAFE_INTEGER : 0,
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) {
      return { ok: false, code: "TOKEN_EXPIRED", reason: "Token has expired" };
    }
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
      return { ok: false, code: "TOKEN_SIGNATURE", reason: "Signature verification failed" };
    }
    return { ok: false, code: "TOKEN_INVALID", reason: "Invalid token" };
  }
  const claims = payload as Record<string, unknown>;
  if (claims["type"] !== type) {
    return {
      ok: false,
      code: "TOKEN_WRONG_TYPE",
      reason:
        type === "access" ? "Only access tokens are allowed" : "Only refresh tokens are allowed",
    };
  }
  if (
    typeof claims["sid"] !== "string" ||
    typeof claims["jti"] !== "string" ||
    (type === "access" && (typeof claims["sub"] !== "object" || claims["sub"] === null)) ||
    (type === "refresh" && (typeof claims["identity"] !== "object" || claims["identity"] === null))
  ) {
    return { ok: false, code: "TOKEN_INVALID", reason: "Invalid token: claims missing" };
  }
  return { ok: true, claims: claims as never };
}

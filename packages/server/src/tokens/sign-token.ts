import { randomUUID } from "node:crypto";
import { type JWTPayload, SignJWT } from "jose";
import type { SigningKey } from "../keys/index.js";

// The one signing path of every token the server issues: bearer tokens (/token/gettoken) and the
// cookie login's access and refresh tokens. The header (alg and kid of the signing key), the times
// (integer iat/exp as in the original, reference §2.2), `iss` and `jti` are set here and nowhere
// else; callers add only what is specific to their kind of token.

/**
 * The key to sign with: fixed, or asked for at each signature (the server's KeyRing, so a key
 * rotation takes effect at its activation time without a restart).
 */
export type SigningKeyChoice = SigningKey | (() => SigningKey);

export interface TokenSignerOptions {
  readonly signingKey: SigningKeyChoice;
  /** `iss` of every token (the server's token issuer). */
  readonly issuer: string;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  readonly now?: () => number;
}

/** How long a token lives: a number of seconds, capped by an end it must never outlive. */
export type TokenLifetime =
  | { readonly seconds: number; readonly until?: Date }
  | { readonly seconds?: undefined; readonly until: Date };

export interface SignOptions {
  readonly lifetime: TokenLifetime;
  /** Also set `nbf` to `iat` (the cookie login's tokens have it, as flask-jwt-extended's had). */
  readonly notBefore?: boolean;
  /** A `jti` the caller keeps (a refresh token's, stored in its session); default: random. */
  readonly jti?: string;
}

export interface StandardClaims {
  iat: number;
  exp: number;
  iss: string;
  jti: string;
}

export interface SignedToken<C> {
  token: string;
  claims: C;
}

export interface TokenSigner {
  sign<C extends object>(
    claims: C,
    options: SignOptions & { notBefore: true },
  ): Promise<SignedToken<StandardClaims & { nbf: number } & C>>;
  sign<C extends object>(claims: C, options: SignOptions): Promise<SignedToken<StandardClaims & C>>;
}

export function createTokenSigner(options: TokenSignerOptions): TokenSigner {
  const { issuer } = options;
  const choice = options.signingKey;
  const currentKey = typeof choice === "function" ? choice : () => choice;
  const now = options.now ?? Date.now;
  return {
    async sign(claims: object, { lifetime, notBefore, jti }: SignOptions) {
      const signingKey = currentKey();
      const header = { alg: signingKey.algorithm, typ: "JWT", kid: signingKey.kid };
      const iat = Math.floor(now() / 1000);
      const signed = {
        iat,
        ...(notBefore ? { nbf: iat } : {}),
        exp: expiry(iat, lifetime),
        iss: issuer,
        jti: jti ?? randomUUID(),
        ...claims,
      };
      // jose signs an object `sub` as given (checked in TOOLCHAIN.md), though its type says string.
      const token = await new SignJWT(signed as JWTPayload)
        .setProtectedHeader(header)
        .sign(signingKey.privateKey);
      return { token, claims: signed as never };
    },
  };
}

function expiry(iat: number, { seconds, until }: TokenLifetime): number {
  if (until === undefined) return iat + (seconds as number);
  const end = Math.floor(until.getTime() / 1000);
  const capped = seconds === undefined ? end : Math.min(iat + seconds, end);
  // A token that is already expired when issued would be useless: it lives at least a second.
  return Math.max(iat + 1, capped);
}

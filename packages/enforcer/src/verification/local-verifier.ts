import type { KeyObject } from "node:crypto";
import {
  createIssuerDiscovery,
  createJwksKeySource,
  discoveryUrlBeside,
  importVerificationKey,
  isTokenAlgorithm,
  type KeySource,
  keyFitsAlgorithm,
  normaliseTokenClaims,
  type SyncKeySource,
  staticKeySource,
  type VerifyInvalid,
  type VerifyResult,
  verifyToken,
  verifyTokenSync,
} from "@tokenleader/client";
import { readTokenUser } from "../claims.js";
import { type Denial, deny } from "../denial.js";
import { EnforcerError } from "../errors.js";
import type { EnforcerLogger } from "../logger.js";
import type { TokenVerifier, VerificationOutcome } from "./token-verifier.js";

export interface LocalVerifierOptions {
  publicKey?: string | KeyObject | ReadonlyArray<string | KeyObject>;
  jwksUrl?: string;
  jwks?: { cooldownMs?: number; timeoutMs?: number; maxAgeMs?: number };
  /** Keys from the caller's own source (checked per key by that source). */
  keySource?: KeySource;
  algorithms: readonly string[];
  /** The `iss` tokens must carry; with jwksUrl and none set, learned from the discovery document. */
  issuer?: string;
  acceptMissingIssuer?: boolean;
  clockLeewaySec?: number;
  logger: EnforcerLogger;
}

/** Verifies tokens in-process with the client package, using a configured key or a JWKS URL. */
export function createLocalVerifier(options: LocalVerifierOptions): TokenVerifier {
  const keySource = buildKeySource(options);
  const expectedIssuer = buildIssuerSource(options);
  const { algorithms, acceptMissingIssuer, clockLeewaySec, logger } = options;
  const policy = (issuer: string) => ({ algorithms, issuer, acceptMissingIssuer, clockLeewaySec });

  function outcome(result: VerifyResult, token: string): VerificationOutcome {
    if (result.status === "Verification Successful") {
      return { ok: true, claims: result.payload as Record<string, unknown> };
    }
    if (result.reason === "expired") return deny("TOKEN_EXPIRED", "the token has expired");
    logger.debug?.(
      { reason: result.reason, detail: result.detail },
      "token rejected by local verification",
    );
    return invalidTokenDenial(result, token);
  }

  // Keys in memory and a configured issuer: nothing to wait for, so no promise either (the
  // signature check on node:crypto is synchronous).
  let verifySync: ((token: string) => VerificationOutcome) | undefined;
  if (isSyncKeySource(keySource) && options.issuer !== undefined) {
    const fixedPolicy = policy(options.issuer);
    verifySync = (token) => outcome(verifyTokenSync(token, keySource, fixedPolicy), token);
  }

  return {
    kind: "local",
    ...(verifySync ? { verifySync } : {}),
    async verify(token): Promise<VerificationOutcome> {
      if (verifySync) return verifySync(token);
      let issuer: string;
      try {
        issuer = await expectedIssuer();
      } catch (err) {
        logger.warn(
          { err },
          "the token server's issuer could not be learned from its discovery document",
        );
        return deny("SIGNING_KEY_UNAVAILABLE", "the token server's issuer could not be learned");
      }
      return outcome(await verifyToken(token, keySource, policy(issuer)), token);
    },
  };
}

function isSyncKeySource(source: KeySource): source is SyncKeySource {
  return typeof (source as Partial<SyncKeySource>).getKeysSync === "function";
}

/**
 * The issuer tokens must name: configured, or (JWKS mode) the "issuer" of the discovery document
 * beside the JWKS URL. With a configured key there is no server to ask, so it must be configured.
 */
function buildIssuerSource(options: LocalVerifierOptions): () => Promise<string> {
  const { issuer, jwksUrl } = options;
  if (issuer !== undefined) return async () => issuer;
  if (jwksUrl === undefined) {
    throw new EnforcerError(
      "ENFORCER_OPTIONS_INVALID",
      "issuer: set the issuer of the tokens (the token server's [token] issuer, by default its public_url); with publicKey it cannot be discovered",
    );
  }
  const discovery = createIssuerDiscovery(discoveryUrlBeside(jwksUrl), {
    cooldownMs: options.jwks?.cooldownMs,
    timeoutMs: options.jwks?.timeoutMs,
  });
  return () => discovery.issuer();
}

function buildKeySource(options: LocalVerifierOptions): KeySource {
  const unsupported = options.algorithms.filter((alg) => !isTokenAlgorithm(alg));
  if (unsupported.length > 0) {
    // HS* would let anyone holding the public key forge tokens; "none" needs no key at all.
    throw new EnforcerError(
      "ENFORCER_OPTIONS_INVALID",
      `algorithms: ${unsupported.join(", ")} cannot be used (only asymmetric JWS algorithms such as RS512)`,
    );
  }
  if (options.jwksUrl !== undefined) {
    return createJwksKeySource(options.jwksUrl, options.jwks ?? {});
  }
  if (options.keySource !== undefined) return options.keySource;
  const keys = options.publicKey === undefined ? [] : options.publicKey;
  const list = (Array.isArray(keys) ? keys : [keys]) as Array<string | KeyObject>;
  try {
    // Imported once here with each algorithm in mind, so a wrong key fails at start-up.
    const imported = list.map((key) =>
      typeof key === "string" ? importVerificationKey(key) : key,
    );
    for (const key of imported) {
      if (!options.algorithms.some((alg) => keyFitsAlgorithm(key, alg))) {
        throw new Error(
          `a ${key.asymmetricKeyType} key cannot verify any of ${options.algorithms.join(", ")}`,
        );
      }
    }
    return staticKeySource(imported);
  } catch (err) {
    throw new EnforcerError(
      "VERIFICATION_KEY_INVALID",
      `publicKey cannot be used: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

/**
 * Maps the client's invalid-token reasons to denials. `detail` is not copied into the reason (it
 * may name keys or URLs); for claim problems the signature is already known good, so the payload
 * is read again to say exactly which claim is wrong.
 */
function invalidTokenDenial(result: VerifyInvalid, token: string): Denial {
  switch (result.reason) {
    case "key_unavailable":
      return deny("SIGNING_KEY_UNAVAILABLE", "signing key unavailable");
    case "unknown_kid":
      return deny("TOKEN_INVALID", "the token's signing key (kid) is not known");
    case "alg_not_allowed":
      return deny("TOKEN_INVALID", "the token's signing algorithm is not accepted");
    case "bad_signature":
      return deny("TOKEN_INVALID", "the token's signature is not valid");
    case "wrong_issuer":
      return deny("TOKEN_INVALID", "the token was not issued by the expected issuer");
    case "not_yet_valid":
      return deny("TOKEN_INVALID", "the token is not valid yet (iat or nbf lies in the future)");
    case "claims_invalid": {
      const claims = decodePayload(token);
      const normalised =
        claims !== null && typeof claims === "object" && !Array.isArray(claims)
          ? normaliseTokenClaims(claims as Record<string, unknown>)
          : { ok: true as const, claims };
      if (!normalised.ok) return deny("CLAIMS_INVALID", `the token's ${normalised.problem}`);
      const read = readTokenUser(normalised.claims);
      return deny(
        "CLAIMS_INVALID",
        read.ok ? "the token's claims do not have the tokenleader layout" : read.reason,
      );
    }
    default:
      return deny("TOKEN_INVALID", "the token is malformed");
  }
}

function decodePayload(token: string): unknown {
  try {
    return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8"));
  } catch {
    return undefined;
  }
}

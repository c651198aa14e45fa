import type { KeyObject } from "node:crypto";
import {
  createJwksKeySource,
  importVerificationKey,
  isTokenAlgorithm,
  type KeySource,
  keyFitsAlgorithm,
  staticKeySource,
  type VerifyInvalid,
  verifyToken,
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
  algorithms: readonly string[];
  logger: EnforcerLogger;
}

/** Verifies tokens in-process with the client package, using a configured key or a JWKS URL. */
export function createLocalVerifier(options: LocalVerifierOptions): TokenVerifier {
  const keySource = buildKeySource(options);
  const { algorithms, logger } = options;
  return {
    kind: "local",
    async verify(token): Promise<VerificationOutcome> {
      const result = await verifyToken(token, keySource, { algorithms });
      if (result.status === "Verification Successful") {
        return { ok: true, claims: result.payload as Record<string, unknown> };
      }
      if (result.reason === "expired") return deny("TOKEN_EXPIRED", "the token has expired");
      logger.debug?.(
        { reason: result.reason, detail: result.detail },
        "token rejected by local verification",
      );
      return invalidTokenDenial(result, token);
    },
  };
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
    case "claims_invalid": {
      const claims = decodePayload(token);
      const read = readTokenUser(claims);
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

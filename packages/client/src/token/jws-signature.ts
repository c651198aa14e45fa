import { isUtf8 } from "node:buffer";
import { constants, type KeyObject, verify as verifySignature } from "node:crypto";
import { keyFitsAlgorithm, type TokenAlgorithm } from "./algorithms.js";

// The signature check of a compact JWS, synchronous on node:crypto. jose verifies through
// WebCrypto, whose every call is a thread-pool job and a promise: measured here, 64 µs per RS512
// token against 27 µs for the same OpenSSL check called directly, and the thread-pool hop is what
// made the enforcer's uncached path slower than @fastify/jwt's. This file holds what jose's
// decodeProtectedHeader and jwtVerify checked, rule for rule, so nothing got looser: strict
// base64url, a JSON object as header, no `crit` extensions, no unencoded payload, an RSA modulus of
// at least 2048 bits, a JSON object as claims set, numeric iat/nbf/exp. Segments are decoded with
// Buffer and checked with isUtf8: a third of the cost of jose's decoder and of a fatal TextDecoder,
// which together weighed a quarter of an RS512 verification on the uncached path.

/** A structural or signature failure; `kind` maps to the verifier's reasons. */
export class JwsError extends Error {
  constructor(
    readonly kind: "malformed" | "bad_signature" | "claims_invalid",
    message: string,
  ) {
    super(message);
    this.name = "JwsError";
  }
}

interface SignatureParams {
  readonly hash: string | null;
  readonly padding?: number;
  readonly ecdsa?: boolean;
}

const PARAMS: Record<TokenAlgorithm, SignatureParams> = {
  RS256: { hash: "sha256" },
  RS384: { hash: "sha384" },
  RS512: { hash: "sha512" },
  PS256: { hash: "sha256", padding: constants.RSA_PKCS1_PSS_PADDING },
  PS384: { hash: "sha384", padding: constants.RSA_PKCS1_PSS_PADDING },
  PS512: { hash: "sha512", padding: constants.RSA_PKCS1_PSS_PADDING },
  ES256: { hash: "sha256", ecdsa: true },
  ES384: { hash: "sha384", ecdsa: true },
  ES512: { hash: "sha512", ecdsa: true },
  EdDSA: { hash: null },
  Ed25519: { hash: null },
};

/** RFC 7518 §3.3 and §3.5: shorter RSA keys are refused, as jose refused them. */
const MIN_RSA_MODULUS_BITS = 2048;
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * The last header decoded, with its encoded form and the dot after it. The tokens a service sees
 * mostly share one header (one issuer, one key), and decoding it again cost about as much as
 * the rest of the work around the signature check. Frozen, since every caller gets the same one.
 */
let lastHeader:
  | { readonly prefix: string; readonly header: Readonly<Record<string, unknown>> }
  | undefined;

/**
 * The protected header of a compact JWS (whose three parts the caller has checked), as a frozen
 * JSON object. Throws JwsError("malformed") for anything else.
 */
export function decodeJwsHeader(token: string): Readonly<Record<string, unknown>> {
  // The prefix ends with the dot, so a match means the same header segment, not merely a longer
  // one starting alike.
  if (lastHeader !== undefined && token.startsWith(lastHeader.prefix)) return lastHeader.header;
  const dot = token.indexOf(".");
  const encodedHeader = token.slice(0, dot);
  const header = BASE64URL.test(encodedHeader) ? decodeJsonSegment(encodedHeader) : undefined;
  if (header === undefined) throw new JwsError("malformed", "header is not base64url JSON");
  lastHeader = { prefix: token.slice(0, dot + 1), header: Object.freeze(header) };
  return lastHeader.header;
}

/**
 * A segment (already checked to be strict base64url) holding a UTF-8 JSON object, or undefined
 * when it is anything else.
 */
function decodeJsonSegment(segment: string): Record<string, unknown> | undefined {
  const bytes = Buffer.from(segment, "base64url");
  if (!isUtf8(bytes)) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString("utf8"));
  } catch {
    return undefined;
  }
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/**
 * Checks the signature of `token` (already split into three parts by the caller's structure check)
 * with `key` under `alg`, and returns its claims set. `header` is the decoded protected header.
 * Throws JwsError; the caller turns it into the original's outcomes.
 */
export function verifyCompactJws(
  token: string,
  header: Readonly<Record<string, unknown>>,
  key: KeyObject,
  alg: TokenAlgorithm,
): Record<string, unknown> {
  if (header.crit !== undefined) {
    // No extension is understood here, so none may be marked critical (RFC 7515 §4.1.11).
    throw new JwsError("malformed", 'the "crit" header names extensions this verifier ignores');
  }
  if (header.b64 !== undefined && header.b64 !== true) {
    throw new JwsError("malformed", "JWTs must not use an unencoded payload");
  }
  const firstDot = token.indexOf(".");
  const secondDot = token.indexOf(".", firstDot + 1);
  const encodedPayload = token.slice(firstDot + 1, secondDot);
  const encodedSignature = token.slice(secondDot + 1);
  if (!BASE64URL.test(encodedPayload) || !BASE64URL.test(encodedSignature)) {
    throw new JwsError("malformed", "payload or signature is not base64url");
  }
  if (!verifies(token.slice(0, secondDot), encodedSignature, key, alg)) {
    throw new JwsError("bad_signature", "signature verification failed");
  }
  return readClaimsSet(encodedPayload);
}

function verifies(
  signingInput: string,
  encodedSignature: string,
  key: KeyObject,
  alg: TokenAlgorithm,
): boolean {
  const params = PARAMS[alg];
  if (key.type !== "public" || !keyFitsAlgorithm(key, alg)) {
    throw new JwsError("bad_signature", `the key cannot verify ${alg}`);
  }
  if (params.padding !== undefined || alg.startsWith("RS")) {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < MIN_RSA_MODULUS_BITS) {
      throw new JwsError(
        "bad_signature",
        `${alg} requires an RSA key of ${MIN_RSA_MODULUS_BITS} bits or more`,
      );
    }
  }
  const signature = Buffer.from(encodedSignature, "base64url");
  try {
    return verifySignature(
      params.hash,
      Buffer.from(signingInput, "latin1"),
      params.padding !== undefined
        ? { key, padding: params.padding, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
        : params.ecdsa
          ? { key, dsaEncoding: "ieee-p1363" }
          : key,
      signature,
    );
  } catch {
    // A key that cannot do this algorithm, a signature of the wrong length: not a valid signature.
    return false;
  }
}

function readClaimsSet(encodedPayload: string): Record<string, unknown> {
  const set = decodeJsonSegment(encodedPayload);
  if (set === undefined) {
    throw new JwsError("malformed", "JWT Claims Set must be a top-level JSON object");
  }
  for (const claim of ["iat", "nbf", "exp"]) {
    if (set[claim] !== undefined && typeof set[claim] !== "number") {
      throw new JwsError("claims_invalid", `"${claim}" claim must be a number`);
    }
  }
  return set;
}

export {
  ASYMMETRIC_ALGORITHMS,
  DEFAULT_ALGORITHMS,
  isTokenAlgorithm,
  keyFitsAlgorithm,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
  type TokenAlgorithm,
} from "./algorithms.js";
export { type AudiencePolicy, audienceProblem } from "./audience.js";
export {
  type TokenClaims,
  TokenClaimsSchema,
  type TokenSubject,
  TokenSubjectSchema,
  type Wfc,
  WfcSchema,
} from "./claims.js";
export { importJwkPublicKey, importVerificationKey } from "./import-verification-key.js";
export {
  DEFAULT_CLOCK_LEEWAY_SEC,
  type IssuerAndTimePolicy,
} from "./issuer-and-time-checks.js";
export {
  createIssuerDiscovery,
  DiscoveryResponseError,
  discoveryUrlBeside,
  type IssuerDiscovery,
  type IssuerDiscoveryOptions,
} from "./issuer-discovery.js";
export {
  createJwksKeySource,
  type JwksKeySource,
  type JwksKeySourceOptions,
  JwksResponseError,
  SIGNING_KEY_UNAVAILABLE,
} from "./jwks-key-source.js";
export {
  type KeyLookup,
  type KeyLookupFailure,
  type KeySource,
  type StaticKeyEntry,
  type SyncKeySource,
  staticKeySource,
  type TokenKeyHint,
} from "./key-source.js";
export {
  formatOpenSshPublicKey,
  isOpenSshPublicKey,
  isOpenSshRsaPublicKey,
  type OpenSshRsaJwk,
  PublicKeyFormatError,
  parseOpenSshPublicKey,
  parseOpenSshRsaPublicKey,
} from "./openssh-public-key.js";
export {
  type NormalisedClaims,
  normaliseTokenClaims,
  STANDARD_PROFILE_USER_CLAIM,
  TOKEN_PROFILES,
  type TokenProfile,
  userClaims,
} from "./token-profile.js";
export {
  createVerifiedTokenCache,
  type VerifiedTokenCache,
  type VerifiedTokenCacheOptions,
} from "./verified-token-cache.js";
export {
  expiredResult,
  type InvalidTokenReason,
  invalidResult,
  successResult,
  type VerifyExpired,
  type VerifyFailureReason,
  type VerifyInvalid,
  type VerifyResult,
  type VerifySuccess,
} from "./verify-results.js";
export {
  type VerifiedJwt,
  type VerifyJwtResult,
  type VerifyTokenOptions,
  verifyJwt,
  verifyToken,
  verifyTokenSync,
} from "./verify-token.js";
export {
  missingTokenHeaderResponse,
  TOKEN_HEADER,
  VERIFY_MESSAGE,
  VERIFY_PAYLOAD,
  VERIFY_STATUS,
} from "./wire-strings.js";

export { keyGenerationHint } from "./algorithms.js";
export { type DeploymentKey, type DeploymentKeys, keySetAt } from "./deployment-keys.js";
export {
  GENERATED_KEY_ENCRYPTION_KEY_FILE,
  KEY_ENCRYPTION_KEY_ENV,
  type KeyEncryptionKey,
  resolveKeyEncryptionKey,
} from "./key-encryption-key.js";
export { KeyError, type KeyErrorCode } from "./key-error.js";
export { type KeyState, keyStateAt, signingKeyAt } from "./key-lifecycle.js";
export {
  createKeyRing,
  fixedKeySetSource,
  type KeyRing,
  type KeySetSource,
  toKeySetSource,
} from "./key-ring.js";
export {
  createKeySet,
  createSigningKey,
  createVerificationKey,
  type KeySet,
  type SigningKey,
  type VerificationKey,
} from "./key-set.js";
export {
  createKeySetRefresher,
  type KeySetRefresher,
  SIGNING_KEY_LISTENER_NAME,
} from "./key-set-refresher.js";
export {
  type LoadedDatabaseKeys,
  loadDatabaseKeySet,
  ROTATED_KEY_ORIGIN,
} from "./load-database-key-set.js";
export {
  generatedKeyFiles,
  type KeySettings,
  keysDirectory,
  type LoadedKeys,
  loadKeySet,
} from "./load-key-set.js";
export { publishedPublicKeyFile, publishSigningPublicKey } from "./published-public-key.js";
export {
  JWKS_MAX_AGE_LIMIT_SECONDS,
  jwksMaxAgeSeconds,
  longestTokenLifetimeSeconds,
  retiredKeyPublishedUntil,
} from "./rotation-timing.js";
export { writePublicFileAtomic, writeSecretFileAtomic } from "./secret-file.js";
export { SIGNING_KEY_CHANNEL } from "./signing-key-notices.js";
export { listSigningKeys, type StoredSigningKey } from "./signing-key-store.js";

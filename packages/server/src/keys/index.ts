export { keyGenerationHint } from "./algorithms.js";
export {
  GENERATED_KEY_ENCRYPTION_KEY_FILE,
  KEY_ENCRYPTION_KEY_ENV,
  type KeyEncryptionKey,
  resolveKeyEncryptionKey,
} from "./key-encryption-key.js";
export { KeyError, type KeyErrorCode } from "./key-error.js";
export {
  createKeySet,
  createSigningKey,
  createVerificationKey,
  type KeySet,
  type SigningKey,
  type VerificationKey,
} from "./key-set.js";
export { type LoadedDatabaseKeys, loadDatabaseKeySet } from "./load-database-key-set.js";
export {
  generatedKeyFiles,
  type KeySettings,
  keysDirectory,
  type LoadedKeys,
  loadKeySet,
} from "./load-key-set.js";
export { publishedPublicKeyFile, publishSigningPublicKey } from "./published-public-key.js";
export { writePublicFileAtomic, writeSecretFileAtomic } from "./secret-file.js";
export { listSigningKeys, type StoredSigningKey } from "./signing-key-store.js";

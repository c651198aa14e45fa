export { keyGenerationHint } from "./algorithms.js";
export { KeyError, type KeyErrorCode } from "./key-error.js";
export {
  createKeySet,
  createSigningKey,
  createVerificationKey,
  type KeySet,
  type SigningKey,
  type VerificationKey,
} from "./key-set.js";
export {
  generatedKeyFiles,
  type KeySettings,
  keysDirectory,
  type LoadedKeys,
  loadKeySet,
} from "./load-key-set.js";
export { writePublicFileAtomic, writeSecretFileAtomic } from "./secret-file.js";

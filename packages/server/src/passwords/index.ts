export {
  type Argon2Params,
  DEFAULT_ARGON2_PARAMS,
  hashPassword,
  isArgon2Hash,
} from "./argon2.js";
export { dummyVerify } from "./dummy-verify.js";
export {
  BUSY_RETRY_AFTER_SEC,
  DEFAULT_MAX_QUEUED_HASHES,
  defaultMaxConcurrentHashes,
  type HashSlotLimits,
  type HashSlotStats,
  HashSlots,
  hashSlots,
} from "./hash-slots.js";
export { DEFAULT_HASH_THREAD_NICE, HashThreads, hashThreads } from "./hash-threads.js";
export {
  formatStoredSaltedSha256,
  isStoredSaltedSha256,
  saltedSha256,
  verifySaltedSha256,
} from "./salted-sha256.js";
export {
  type PasswordCheck,
  type PasswordHashScheme,
  storedHashScheme,
  verifyPassword,
} from "./verify-password.js";
export { isWerkzeugHash, verifyWerkzeugHash } from "./werkzeug.js";

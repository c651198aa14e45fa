export type { AuthenticationResult } from "./admin/authentication.js";
export type { NewService } from "./admin/catalog.js";
export type { NewUser, UserChange } from "./admin/users.js";
export type { AdminServiceHooks, CredentialsChange } from "./admin/writes.js";
export { type AdminService, createAdminService } from "./admin-service.js";
export { describeEntity, ENTITY_LABELS, type EntityKind, type NamedKind } from "./entity-kinds.js";
export { originalMessages } from "./messages.js";
export {
  type NamedRecord,
  type OrganizationRecord,
  type ServiceCatalog,
  type ServiceRecord,
  toServiceCatalog,
  type UserDict,
  type UserRecord,
  userToDict,
  type WfcRecord,
} from "./records.js";
export {
  createSigningKeyService,
  MAX_KEY_SECONDS,
  type RetireOptions,
  type RotateOptions,
  type SigningKeyInfo,
  type SigningKeyService,
} from "./signing-keys.js";
export type { Tx } from "./transactions.js";
export {
  EMAIL_MAX_LENGTH,
  NAME_MAX_LENGTH,
  URL_MAX_LENGTH,
  validate,
} from "./validation.js";

// Framework-free API. The adapters live at "@tokenleader/enforcer/express" and "/fastify".

export { readCookie } from "@tokenleader/client/http-security";
export type { AclEntry, AclGrant, AclMap, AllowItem } from "./acl/acl-map.js";
export { compileAclMap } from "./acl/acl-map.js";
export { loadAclMap } from "./acl/load-acl-map.js";
export { MAX_ACL_MAP_BYTES, parseAclMap, validateAclEntries } from "./acl/parse-acl-map.js";
export { type AclMapWatcher, type WatchAclMapOptions, watchAclMap } from "./acl/watch-acl-map.js";
export {
  type ConditionFailure,
  type RouteParams,
  WFC_CONDITION_FIELDS,
  type WfcConditionField,
  type WfcConditions,
  type WfcRequirement,
} from "./acl/wfc-conditions.js";
export {
  type AuthorizeCode,
  type AuthorizeOptions,
  type AuthorizeResult,
  authorize,
  DEFAULT_SUPER_ROLES,
  describeGrant,
  type FailedGrant,
  type RefusalKind,
} from "./authorize.js";
export { readTokenUser, type TokenUser, type TokenWfc } from "./claims.js";
export type { TokenleaderContext, WorkFunctionContext } from "./context.js";
export {
  type Denial,
  type DenialCode,
  type DenialResponse,
  RESTRICTED_MESSAGE,
  renderDenial,
} from "./denial.js";
export {
  type Allowed,
  createEnforcer,
  DEFAULT_ACCESS_COOKIE,
  DEFAULT_ROLE_TO_ACL_MAP_FILE,
  type EnforcementResult,
  type Enforcer,
  type EnforcerOptions,
} from "./enforcer.js";
export { EnforcerError, type EnforcerErrorCode } from "./errors.js";
export { type ExplainedEntry, type Explanation, explainClaims } from "./explain.js";
export { consoleLogger, type EnforcerLogger } from "./logger.js";
export type { RequestLike } from "./request.js";
export type {
  RevocationFollower,
  RevocationsOptions,
} from "./revocations/revocation-follower.js";
export { RevocationState } from "./revocations/revocation-state.js";
export type { TokenSource } from "./token-source.js";

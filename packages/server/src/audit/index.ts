// The audit trail of security events (issue 12): table audit_event, append-only.
export { type AuditActor, currentAuditActor, runAsAuditActor } from "./actor-context.js";
export {
  type AdminAction,
  type AdminEntityKind,
  type AuditDetails,
  type AuditEventInput,
  type AuditEventRecord,
  type AuditEventType,
  type AuditOutcome,
  adminTarget,
} from "./audit-events.js";
export {
  type AuditFilter,
  DEFAULT_AUDIT_LIMIT,
  listAuditEvents,
  MAX_AUDIT_LIMIT,
  parseSince,
} from "./audit-query.js";
export { deleteExpiredAuditEvents, startAuditRetention } from "./audit-retention.js";
export {
  type AuditLogger,
  type AuditTrail,
  createAuditTrail,
  noAuditTrail,
  recordAuditEventIn,
} from "./audit-trail.js";
export { recordSigningKeyEvent, type SigningKeyFacts } from "./key-events.js";
export {
  type LoginAttempt,
  recordLoginFailed,
  recordLoginLimited,
  recordLoginSucceeded,
} from "./login-events.js";
export {
  recordRefreshTokenReused,
  recordSessionEnded,
  type SessionEvent,
} from "./session-events.js";

// What the audit trail records: one row per security event (table audit_event, append-only).

/** Every event type, as stored in audit_event.event_type. */
export type AuditEventType =
  | "login.succeeded"
  | "login.failed"
  /** Refused without checking the password: the guessing limit was reached. */
  | "login.limited"
  /** A bearer token from /token/gettoken. */
  | "token.issued"
  /** A cookie-login session ended by its user (logout). */
  | "session.ended"
  /** A rotated refresh token came back (stolen or replayed): its session was revoked. */
  | "refresh_token.reused"
  /** Admin changes: "<kind>.<action>", e.g. "user.created", "role.deleted", "service.created". */
  | `${AdminEntityKind}.${AdminAction}`
  /** An administrator lifted a guessing limit (adminops unlock): target account and/or address. */
  | "lockout.lifted"
  /** The signing key: generated at start (none was there) or loaded. */
  | "key.generated"
  | "key.loaded"
  /** A new signing key (adminops keys rotate, POST /rotate/key): published now, signs later. */
  | "key.rotated"
  /** A signing key stopped signing (adminops keys retire, POST /retire/key). */
  | "key.retired";

export type AdminEntityKind = "org" | "ou" | "dept" | "role" | "wfc" | "user" | "service";
export type AdminAction = "created" | "updated" | "deleted" | "tokens_revoked";

export type AuditOutcome = "success" | "failure";

/** Small, flat facts about an event (a sid, a jti, a reason). Never a password or a token. */
export type AuditDetails = Readonly<
  Record<string, string | number | boolean | null | readonly string[]>
>;

export interface AuditEventInput {
  type: AuditEventType;
  outcome: AuditOutcome;
  /** Who did it: the user logging in, the admin API caller, "adminops:<os user>", "server". */
  actor?: string | null;
  /** What it was done to: a username, or "<kind>:<name>" for other records. */
  target?: string | null;
  sourceAddress?: string | null;
  details?: AuditDetails;
}

/** One stored event, as `adminops audit` and the service show it. */
export interface AuditEventRecord {
  id: number;
  time: Date;
  type: string;
  outcome: string;
  actor: string | null;
  target: string | null;
  sourceAddress: string | null;
  details: Record<string, unknown> | null;
}

/** The audit target naming an admin record: the username for users, "<kind>:<name>" otherwise. */
export function adminTarget(kind: AdminEntityKind, name: string): string {
  return kind === "user" ? name : `${kind}:${name}`;
}

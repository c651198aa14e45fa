// The login events, one function each, for every place that checks a password (/login,
// /token/gettoken, and the guessing policy that refuses before checking). The username is the
// one claimed: it is both the actor and the target, and stored as given (printing escapes it).
import type { AuditDetails } from "./audit-events.js";
import type { AuditTrail } from "./audit-trail.js";

export interface LoginAttempt {
  username: string;
  sourceAddress: string | null;
  /** Which door: "gettoken", "json", "form"… */
  via: string;
  /** Why it failed or was limited; for a success, where the user came from ("database", "file"). */
  reason?: string;
  details?: AuditDetails;
}

function loginEvent(attempt: LoginAttempt) {
  return {
    actor: attempt.username,
    target: attempt.username,
    sourceAddress: attempt.sourceAddress,
    details: {
      via: attempt.via,
      ...(attempt.reason !== undefined ? { reason: attempt.reason } : {}),
      ...attempt.details,
    },
  };
}

export const recordLoginSucceeded = (trail: AuditTrail, attempt: LoginAttempt) =>
  trail.record({ type: "login.succeeded", outcome: "success", ...loginEvent(attempt) });

export const recordLoginFailed = (trail: AuditTrail, attempt: LoginAttempt) =>
  trail.record({ type: "login.failed", outcome: "failure", ...loginEvent(attempt) });

/** The guessing limit refused the attempt before any password was checked. */
export const recordLoginLimited = (trail: AuditTrail, attempt: LoginAttempt) =>
  trail.record({ type: "login.limited", outcome: "failure", ...loginEvent(attempt) });

// Cookie-login session events. A session is named by its id (sid), never by a token.
import type { AuditTrail } from "./audit-trail.js";

export interface SessionEvent {
  username: string;
  sid: string;
  sourceAddress: string | null;
}

/** The user ended the session (logout). */
export const recordSessionEnded = (trail: AuditTrail, event: SessionEvent) =>
  trail.record({
    type: "session.ended",
    outcome: "success",
    actor: event.username,
    target: event.username,
    sourceAddress: event.sourceAddress,
    details: { sid: event.sid, reason: "logout" },
  });

/** A rotated refresh token was used again: the session was revoked as stolen. */
export const recordRefreshTokenReused = (trail: AuditTrail, event: SessionEvent) =>
  trail.record({
    type: "refresh_token.reused",
    outcome: "failure",
    actor: null,
    target: event.username,
    sourceAddress: event.sourceAddress,
    details: { sid: event.sid, sessionRevoked: true },
  });

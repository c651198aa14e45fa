// The cookie login's attempts in the audit trail. An attempt without a username (a broken
// body, a missing field) names nobody: it stays in the log only.
import {
  type AuditTrail,
  recordLoginFailed,
  recordLoginLimited,
  recordLoginSucceeded,
} from "../audit/index.js";

export async function recordLoginEvent(
  audit: AuditTrail,
  sourceAddress: string,
  outcome: "success" | "failure",
  attempt: { username?: string; source?: string; reason?: string; via: string },
): Promise<void> {
  const { username, source, reason, via } = attempt;
  if (username === undefined || username === "") return;
  if (outcome === "success") {
    await recordLoginSucceeded(audit, {
      username,
      sourceAddress,
      via,
      ...(source ? { details: { source } } : {}),
    });
  } else if (reason === "rate-limited") {
    await recordLoginLimited(audit, { username, sourceAddress, via, reason });
  } else {
    await recordLoginFailed(audit, { username, sourceAddress, via, ...(reason ? { reason } : {}) });
  }
}

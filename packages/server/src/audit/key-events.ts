// Signing-key changes in the audit trail, recorded at start: "key.generated" when the server made
// a new key pair, "key.loaded" when the key it loaded is not the one the trail saw last (a new
// key file, a rotation). A restart with the same key records nothing.
import type { Database } from "../db/open-database.js";
import type { AuditTrail } from "./audit-trail.js";

export interface SigningKeyFacts {
  kid: string;
  algorithm: string;
  /** Where it came from (a file path or "generated"); no key material. */
  source: string;
}

export async function recordSigningKeyEvent(
  db: Database,
  trail: AuditTrail,
  key: SigningKeyFacts,
  generated: boolean,
): Promise<void> {
  const details = { kid: key.kid, algorithm: key.algorithm, source: key.source };
  if (generated) {
    await trail.record({ type: "key.generated", outcome: "success", actor: "server", details });
    return;
  }
  const last = await db.prisma.auditEvent
    .findFirst({
      where: { eventType: { in: ["key.generated", "key.loaded"] } },
      orderBy: { id: "desc" },
      select: { details: true },
    })
    .catch(() => null);
  const lastKid = last?.details ? (JSON.parse(last.details) as { kid?: unknown }).kid : undefined;
  if (lastKid === key.kid) return;
  await trail.record({ type: "key.loaded", outcome: "success", actor: "server", details });
}

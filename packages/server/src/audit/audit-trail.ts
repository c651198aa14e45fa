// Writing security events. Two ways, on purpose:
// - `recordIn(tx, event)`: inside the transaction of an admin change, so the change and its
//   event are committed together or not at all (an admin change is never unaccounted for).
// - `record(event)`: after a login, a token or a logout. The user's request has already
//   succeeded or failed on its own merits; a database hiccup while writing the event is logged
//   (with the event, so it is not lost) and never turns that answer into a 500 or a 503 —
//   otherwise a failing audit insert would become a way to deny every login.
import type { Database } from "../db/open-database.js";
import { Prisma } from "../db/prisma-client.js";
import type { Tx } from "../services/transactions.js";
import type { AuditEventInput } from "./audit-events.js";
import { toAuditRow } from "./audit-row.js";

/** The slice of a pino logger the trail reports its own failures to. */
export interface AuditLogger {
  error(details: object, message: string): void;
}

export interface AuditTrail {
  /** Records an event; never throws (a failure is logged). */
  record(event: AuditEventInput): Promise<void>;
}

/** Records an event inside the caller's transaction (throws, so the transaction rolls back). */
export async function recordAuditEventIn(tx: Tx, event: AuditEventInput): Promise<void> {
  await tx.auditEvent.create({ data: toAuditRow(event) });
}

export function createAuditTrail(db: Database, logger: AuditLogger): AuditTrail {
  return {
    async record(event) {
      const row = toAuditRow(event);
      try {
        // One plain statement (db/hot-statements.ts): this runs at every login and token. The time is passed, not left to the column's
        // default, so it has the format Prisma writes and reads (ISO 8601 with milliseconds).
        await db.hot.run(Prisma.sql`
          INSERT INTO "audit_event"
            ("time", "event_type", "outcome", "actor", "target", "source_address", "details")
          VALUES (${new Date()}, ${row.eventType}, ${row.outcome}, ${row.actor ?? null},
            ${row.target ?? null}, ${row.sourceAddress ?? null}, ${row.details ?? null})`);
      } catch (error) {
        logger.error(
          { err: (error as Error).message, auditEvent: { ...row } },
          "could not record an audit event",
        );
      }
    },
  };
}

/** A trail that records nothing (tests and tools with no database). */
export const noAuditTrail: AuditTrail = { record: async () => {} };

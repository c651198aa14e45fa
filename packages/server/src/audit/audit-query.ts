// Reading the audit trail: the one query behind `adminops audit` (and any later REST route).
// The newest `limit` events that match, returned oldest first, like a log whose newest line is
// at the bottom, next to the prompt.
import type { Database } from "../db/open-database.js";
import { parseDurationMs } from "../durations.js";
import { AppError } from "../errors.js";
import { reading } from "../services/transactions.js";
import type { AuditEventRecord } from "./audit-events.js";

export interface AuditFilter {
  /** Events where this user is the actor or the target. */
  user?: string;
  /** Events at or after this time. */
  since?: Date;
  /** At most this many (the newest); default 100. */
  limit?: number;
}

export const DEFAULT_AUDIT_LIMIT = 100;
export const MAX_AUDIT_LIMIT = 100_000;

export async function listAuditEvents(
  db: Database,
  filter: AuditFilter = {},
): Promise<AuditEventRecord[]> {
  const limit = filter.limit ?? DEFAULT_AUDIT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT) {
    throw new AppError(
      "VALIDATION_FAILED",
      `the limit must be a whole number from 1 to ${MAX_AUDIT_LIMIT}`,
    );
  }
  const rows = await reading(() =>
    db.prisma.auditEvent.findMany({
      where: {
        ...(filter.user !== undefined
          ? { OR: [{ actor: filter.user }, { target: filter.user }] }
          : {}),
        ...(filter.since !== undefined ? { time: { gte: filter.since } } : {}),
      },
      orderBy: [{ time: "desc" }, { id: "desc" }],
      take: limit,
    }),
  );
  return rows.reverse().map((row) => ({
    id: row.id,
    time: row.time,
    type: row.eventType,
    outcome: row.outcome,
    actor: row.actor,
    target: row.target,
    sourceAddress: row.sourceAddress,
    details: row.details === null ? null : (JSON.parse(row.details) as Record<string, unknown>),
  }));
}

/**
 * `--since`: an ISO date or date-time (2026-12-01, 2026-12-01T08:00:00Z) or a duration back from
 * now (90s, 30m, 24h, 7d, 2w). Null when it is neither.
 */
export function parseSince(text: string, now: number = Date.now()): Date | null {
  const durationMs = parseDurationMs(text);
  if (durationMs !== null) return new Date(now - durationMs);
  if (
    !/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())
  ) {
    return null;
  }
  const time = new Date(text.trim());
  return Number.isNaN(time.getTime()) ? null : time;
}

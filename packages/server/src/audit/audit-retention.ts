// The one way rows leave the audit trail: events older than [audit] retention_days are deleted,
// once at start and then hourly. 0 keeps everything.
import type { Database } from "../db/open-database.js";

const RETENTION_INTERVAL_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Deletes events older than `retentionDays` days before `now`; returns how many. */
export async function deleteExpiredAuditEvents(
  db: Database,
  retentionDays: number,
  now: number = Date.now(),
): Promise<number> {
  if (retentionDays <= 0) return 0;
  const { count } = await db.prisma.auditEvent.deleteMany({
    where: { time: { lt: new Date(now - retentionDays * DAY_MS) } },
  });
  return count;
}

export interface RetentionLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/**
 * Applies the retention now and every hour (an unref'd timer: it never keeps the process alive).
 * Returns a function that stops it.
 */
export function startAuditRetention(
  db: Database,
  retentionDays: number,
  logger: RetentionLogger,
): () => void {
  if (retentionDays <= 0) return () => {};
  const apply = () =>
    deleteExpiredAuditEvents(db, retentionDays).then(
      (deleted) => {
        if (deleted > 0) {
          logger.info({ deleted, retentionDays }, `deleted ${deleted} expired audit events`);
        }
      },
      (error: unknown) =>
        logger.warn({ err: (error as Error).message }, "could not delete expired audit events"),
    );
  void apply();
  const timer = setInterval(apply, RETENTION_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

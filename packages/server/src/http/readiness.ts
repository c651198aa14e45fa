import { type Database, migrationStatus } from "../db/index.js";
import type { KeySetSource } from "../keys/index.js";

// What /readyz checks. Each check is bounded in time so a hung database makes the probe fail
// quickly instead of hanging the orchestrator's request.

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail: string }>;
}

export interface ReadinessProbe {
  check(): Promise<ReadinessReport>;
}

const CHECK_TIMEOUT_MS = 3000;

export function createReadinessProbe(db: Database, keys: KeySetSource | null): ReadinessProbe {
  // Once every migration is applied it stays applied: after the first success only the
  // connection is checked (migrationStatus reads the migration folders from disk).
  let migrated = false;
  return {
    async check() {
      const checks: ReadinessReport["checks"] = {};
      try {
        await withTimeout(db.prisma.$queryRawUnsafe("SELECT 1"), "database");
        checks.database = { ok: true, detail: "reachable" };
      } catch {
        checks.database = { ok: false, detail: "not reachable" };
      }
      if (!checks.database.ok) {
        checks.migrations = { ok: false, detail: "unknown: database not reachable" };
      } else if (migrated) {
        checks.migrations = { ok: true, detail: "applied" };
      } else {
        try {
          const status = await withTimeout(migrationStatus(db), "migrations");
          migrated =
            status.initialised && status.pending.length === 0 && status.failed.length === 0;
          checks.migrations = migrated
            ? { ok: true, detail: "applied" }
            : {
                ok: false,
                detail: status.failed.length
                  ? `failed migrations: ${status.failed.join(", ")}`
                  : `${status.pending.length} pending: run adminops initdb or start with migrations on`,
              };
        } catch {
          checks.migrations = { ok: false, detail: "cannot read the migration status" };
        }
      }
      const signingKey = keys?.current().signingKey;
      checks.signingKey = signingKey
        ? { ok: true, detail: `kid ${signingKey.kid} (${signingKey.algorithm})` }
        : { ok: false, detail: "not loaded" };
      return { ready: Object.values(checks).every((c) => c.ok), checks };
    },
  };
}

async function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} check timed out`)), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

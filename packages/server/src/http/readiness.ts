import { type Database, migrationStatus, shippedMigrationNames } from "../db/index.js";
import type { KeySetSource } from "../keys/index.js";

// What /readyz checks, live: the database answers and holds exactly the migrations this build
// ships (a database dropped and re-created empty under a running server is not ready). Each
// check is bounded in time so a hung database fails the probe quickly, and one result is shared
// for up to a second, so a flood of probes costs the database at most one check per second.

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail: string }>;
}

export interface ReadinessProbe {
  check(): Promise<ReadinessReport>;
}

const CHECK_TIMEOUT_MS = 3000;
/** A result is reused for this long; concurrent probes share one check in flight. */
export const READINESS_CACHE_MS = 1000;

export function createReadinessProbe(
  db: Database,
  keys: KeySetSource | null,
  now: () => number = Date.now,
): ReadinessProbe {
  let shipped: Promise<string[]> | null = null;
  let last: { report: ReadinessReport; at: number } | null = null;
  let inFlight: Promise<ReadinessReport> | null = null;

  const runChecks = async (): Promise<ReadinessReport> => {
    const checks: ReadinessReport["checks"] = {};
    try {
      shipped ??= shippedMigrationNames(db);
      const shippedNames = await shipped.catch((error: unknown) => {
        shipped = null;
        throw error;
      });
      const status = await withTimeout(migrationStatus(db, { shippedNames }), "database");
      checks.database = { ok: true, detail: "reachable" };
      checks.migrations = migrationsCheck(status);
    } catch {
      checks.database = { ok: false, detail: "not reachable" };
      checks.migrations = { ok: false, detail: "unknown: database not reachable" };
    }
    const signingKey = keys?.current().signingKey;
    checks.signingKey = signingKey
      ? { ok: true, detail: `kid ${signingKey.kid} (${signingKey.algorithm})` }
      : { ok: false, detail: "not loaded" };
    return { ready: Object.values(checks).every((c) => c.ok), checks };
  };

  return {
    check() {
      if (last && now() - last.at < READINESS_CACHE_MS) return Promise.resolve(last.report);
      inFlight ??= runChecks()
        .then((report) => {
          last = { report, at: now() };
          return report;
        })
        .finally(() => {
          inFlight = null;
        });
      return inFlight;
    },
  };
}

function migrationsCheck(status: Awaited<ReturnType<typeof migrationStatus>>) {
  if (status.failed.length > 0) {
    return { ok: false, detail: `failed migrations: ${status.failed.join(", ")}` };
  }
  if (!status.initialised) {
    return { ok: false, detail: "the database is empty: run adminops initdb" };
  }
  if (status.pending.length > 0) {
    return {
      ok: false,
      detail: `${status.pending.length} pending: run adminops initdb or start with migrations on`,
    };
  }
  return { ok: true, detail: "applied" };
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

// Driver adapter factories: how Prisma (client and schema engine) connects to each provider.
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { ParsedDatabaseUrl } from "./database-url.js";
import { createPostgresPool, type PostgresPoolOptions } from "./postgres-pool.js";
import { createSqliteAdapterFactory } from "./sqlite-adapter.js";

/** How long to wait for a PostgreSQL connection before reporting the server unreachable. */
export const postgresConnectTimeoutMs = 10_000;

export function createAdapterFactory(
  target: ParsedDatabaseUrl,
  postgresPool?: PostgresPoolOptions,
): SqlMigrationAwareDriverAdapterFactory {
  if (target.provider === "sqlite") {
    return createSqliteAdapterFactory(target.filePath);
  }
  if (postgresPool === undefined) {
    // The schema engine's own short-lived connections (migrations).
    return new PrismaPg({
      connectionString: target.connectionString,
      // pg waits forever by default; a dead host must become a clear DB_UNREACHABLE instead.
      connectionTimeoutMillis: postgresConnectTimeoutMs,
    });
  }
  // The pool is ours, so Prisma's $disconnect ends it (disposeExternalPool).
  return new PrismaPg(createPostgresPool(target.connectionString, postgresPool), {
    disposeExternalPool: true,
  });
}

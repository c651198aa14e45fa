// The data layer's public surface. See README.md in this folder.

export { isDatabaseUnavailable, isLostConnection } from "./database-faults.js";
export { type DatabaseProvider, parseDatabaseUrl, redactDatabaseUrl } from "./database-url.js";
export {
  DatabaseError,
  type DatabaseErrorCode,
  DatabaseMigrationFailedError,
  DatabaseNotInitialisedError,
  DatabaseUnreachableError,
  DatabaseUrlInvalidError,
  isDatabaseError,
} from "./errors.js";
export { MIGRATION_LOCK_WAIT_MS, withMigrationLock } from "./migration-lock.js";
export {
  applyMigrations,
  assertDatabaseMigrated,
  type MigrationOptions,
  type MigrationStatus,
  migrationStatus,
  shippedMigrationNames,
} from "./migrations.js";
export {
  type Database,
  type OpenDatabaseOptions,
  openDatabase,
  type PoolStats,
} from "./open-database.js";
export { POSTGRES_POOL_DEFAULTS, type PostgresPoolOptions } from "./postgres-pool.js";
export * from "./prisma-client.js";

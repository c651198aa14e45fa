// The data layer's public surface. See README.md in this folder.
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
export {
  applyMigrations,
  assertDatabaseMigrated,
  type MigrationOptions,
  type MigrationStatus,
  migrationStatus,
} from "./migrations.js";
export {
  type Database,
  type OpenDatabaseOptions,
  openDatabase,
  type PoolStats,
} from "./open-database.js";
export * from "./prisma-client.js";

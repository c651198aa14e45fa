// Errors of the data layer. Each carries a stable `code` that callers (CLI, HTTP error handler)
// map to exit statuses and public messages. Messages never contain a database password: every
// URL in them went through `redactDatabaseUrl`.

export type DatabaseErrorCode =
  | "DB_URL_INVALID"
  | "DB_UNREACHABLE"
  | "DB_NOT_INITIALISED"
  | "DB_MIGRATION_FAILED";

export abstract class DatabaseError extends Error {
  abstract readonly code: DatabaseErrorCode;
}

/** The URL is neither `file:…` / `sqlite:…` (SQLite) nor `postgresql://…` / `postgres://…`. */
export class DatabaseUrlInvalidError extends DatabaseError {
  readonly code = "DB_URL_INVALID";
  override readonly name = "DatabaseUrlInvalidError";
}

/** The database cannot be opened or connected to (server down, bad credentials, unwritable file…). */
export class DatabaseUnreachableError extends DatabaseError {
  readonly code = "DB_UNREACHABLE";
  override readonly name = "DatabaseUnreachableError";
  constructor(
    readonly redactedUrl: string,
    reason: string,
    options?: ErrorOptions,
  ) {
    super(`cannot reach the database at ${redactedUrl}: ${reason}`, options);
  }
}

/** The schema is missing (never migrated) or behind the migrations this version ships. */
export class DatabaseNotInitialisedError extends DatabaseError {
  readonly code = "DB_NOT_INITIALISED";
  override readonly name = "DatabaseNotInitialisedError";
  constructor(
    readonly redactedUrl: string,
    readonly pendingMigrations: readonly string[],
    initialised: boolean,
  ) {
    super(
      initialised
        ? `database at ${redactedUrl} is missing migrations ${pendingMigrations.join(", ")}: run adminops initdb`
        : `database at ${redactedUrl} is not initialised: run adminops initdb`,
    );
  }
}

/** Applying or creating a migration failed; the message names the migration when known. */
export class DatabaseMigrationFailedError extends DatabaseError {
  readonly code = "DB_MIGRATION_FAILED";
  override readonly name = "DatabaseMigrationFailedError";
}

/** True for any error of this module, whatever its code. */
export function isDatabaseError(error: unknown): error is DatabaseError {
  return error instanceof DatabaseError;
}

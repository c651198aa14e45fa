// Read-only access to the database being imported, the same few calls for SQLite, PostgreSQL
// and MySQL/MariaDB: which tables and columns exist, and all rows of a table. Nothing here
// writes; SQLite files are opened read-only.
import { redactDatabaseUrl, scrubPasswords } from "../db/database-url.js";
import { AppError } from "../errors.js";
import type { SourceLocation } from "./source-url.js";

export type SourceRow = Record<string, unknown>;

export interface SourceDatabase {
  /** For messages: the file, or the URL without its password. */
  readonly description: string;
  /** Table names, lower case. */
  tables(): Promise<Set<string>>;
  /** Column names of a table, lower case. */
  columns(table: string): Promise<Set<string>>;
  /** Every row of `table` with the given columns (keys lower case), ordered by `orderBy`. */
  rows(table: string, columns: readonly string[], orderBy: readonly string[]): Promise<SourceRow[]>;
  close(): Promise<void>;
}

export async function openSourceDatabase(location: SourceLocation): Promise<SourceDatabase> {
  const description =
    location.kind === "sqlite"
      ? location.filePath
      : redactDatabaseUrl(
          location.kind === "mysql" ? location.url.href : location.connectionString,
        );
  // The real URL, so its password can be scrubbed from a driver's message.
  const url =
    location.kind === "sqlite"
      ? ""
      : location.kind === "mysql"
        ? location.url.href
        : location.connectionString;
  try {
    switch (location.kind) {
      case "sqlite":
        return await (await import("./sqlite-source.js")).openSqliteSource(location.filePath);
      case "postgresql":
        return await (await import("./postgres-source.js")).openPostgresSource(
          location.connectionString,
          description,
        );
      case "mysql":
        return await (await import("./mysql-source.js")).openMysqlSource(location.url, description);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw sourceUnreadable(description, error, url);
  }
}

/** One line naming the source and the driver's reason, with any password scrubbed. */
export function sourceUnreadable(description: string, error: unknown, url = ""): AppError {
  const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
  const text = url ? scrubPasswords(reason ?? "", url) : (reason ?? "");
  return new AppError("IMPORT_SOURCE_UNREADABLE", `cannot read ${description}: ${text}`, {
    cause: error,
  });
}

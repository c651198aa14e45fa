import { type DatabaseProvider, parseDatabaseUrl } from "../db/database-url.js";

export interface NormalisedDatabaseUrl {
  /** "file:/abs/path" for SQLite, "postgresql://…" for PostgreSQL. */
  url: string;
  provider: DatabaseProvider;
  /** SQLite only: the absolute file path. */
  file?: string;
}

/**
 * The settings' view of a database URL: one canonical form (`file:/abs/path`, `postgresql://…`)
 * or, when the URL is not usable, a string describing the problem and the fix. The parsing rules
 * live in db/database-url.ts so the CLIs and the loader cannot disagree.
 */
export function normaliseDatabaseUrl(
  input: string,
  baseDir: string,
): NormalisedDatabaseUrl | string {
  try {
    const parsed = parseDatabaseUrl(input, baseDir);
    if (parsed.provider === "sqlite") {
      return { url: `file:${parsed.filePath}`, provider: "sqlite", file: parsed.filePath };
    }
    const canonical = parsed.connectionString.replace(/^postgres(ql)?:\/\//i, "postgresql://");
    return { url: canonical, provider: "postgresql" };
  } catch (error) {
    return (error as Error).message;
  }
}

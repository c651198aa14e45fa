import path from "node:path";
import type { DatabaseProvider } from "./settings-types.js";

export interface NormalisedDatabaseUrl {
  /** "file:/abs/path" for SQLite, "postgresql://…" for PostgreSQL. */
  url: string;
  provider: DatabaseProvider;
  /** SQLite only: the absolute file path. */
  file?: string;
}

/**
 * Accepts every database URL form the project documents and returns one canonical form:
 * - `file:PATH` (Prisma style), relative PATH resolved against `baseDir`
 * - `sqlite:////abs/path` (SQLAlchemy, four slashes = absolute), `sqlite:///rel/path` (relative)
 * - `postgresql://…` and `postgres://…`
 * Returns a string describing the problem (and the fix) when the URL is not usable.
 */
export function normaliseDatabaseUrl(
  input: string,
  baseDir: string,
): NormalisedDatabaseUrl | string {
  const text = input.trim();
  if (text === "") {
    return 'empty database URL; use "file:/path/to/tokenleader.db" or "postgresql://user@host:5432/db"';
  }
  if (/^postgres(ql)?:\/\//i.test(text)) {
    const canonical = text.replace(/^postgres(ql)?:\/\//i, "postgresql://");
    let parsed: URL;
    try {
      parsed = new URL(canonical);
    } catch {
      return `"${redactPassword(text)}" is not a valid PostgreSQL URL; use "postgresql://user:password@host:5432/database"`;
    }
    if (parsed.hostname === "" && !parsed.searchParams.has("host")) {
      return `"${redactPassword(text)}" names no host; use "postgresql://user:password@host:5432/database"`;
    }
    return { url: canonical, provider: "postgresql" };
  }
  let filePath: string | undefined;
  if (/^sqlite:/i.test(text)) {
    const rest = text.replace(/^sqlite:/i, "");
    if (!rest.startsWith("///")) {
      return `"${text}" is not a SQLite file URL; use "sqlite:////absolute/path.db" (four slashes) or "sqlite:///relative/path.db"`;
    }
    filePath = rest.slice(3); // "/abs/path" when four slashes were given, "rel/path" for three
  } else if (/^file:/i.test(text)) {
    filePath = text.slice("file:".length).replace(/^\/\/(?=\/)/, ""); // file:///abs → /abs
  } else {
    return `"${redactPassword(text)}" is not a supported database URL; use "file:/path/to/tokenleader.db", "sqlite:////path/to/tokenleader.db" or "postgresql://user@host:5432/db"`;
  }
  const queryAt = filePath.indexOf("?");
  if (queryAt !== -1) filePath = filePath.slice(0, queryAt);
  if (filePath === "" || filePath === ":memory:") {
    return `"${text}" names no database file (an in-memory database would lose every record); use "file:/path/to/tokenleader.db"`;
  }
  const absolute = path.resolve(baseDir, filePath);
  return { url: `file:${absolute}`, provider: "sqlite", file: absolute };
}

/** Database URLs may carry a password: never print it. */
export function redactPassword(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, "$1***@");
}

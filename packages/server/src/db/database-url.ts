// Database URLs: which provider a URL names, and how to show it without its password.
import path from "node:path";
import { DatabaseUrlInvalidError } from "./errors.js";

export type DatabaseProvider = "sqlite" | "postgresql";

export type ParsedDatabaseUrl =
  | { provider: "sqlite" /** absolute path of the database file */; filePath: string }
  | { provider: "postgresql"; connectionString: string };

/**
 * Accepts `file:PATH` and SQLAlchemy's `sqlite:///rel` / `sqlite:////abs` for SQLite (a relative
 * path is resolved against `cwd`), `postgresql://…` and `postgres://…` for PostgreSQL.
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): ParsedDatabaseUrl {
  const trimmed = url.trim();
  let sqlitePath: string | null = null;
  if (trimmed.startsWith("file:")) sqlitePath = trimmed.slice("file:".length);
  else if (trimmed.startsWith("sqlite:///")) sqlitePath = trimmed.slice("sqlite:///".length);
  if (sqlitePath !== null) {
    // `file:` URLs may carry query parameters (`?mode=…`); they are not supported here.
    if (sqlitePath === "" || sqlitePath.includes("?") || sqlitePath.includes("\0")) {
      throw new DatabaseUrlInvalidError(
        `invalid SQLite database URL "${trimmed}": expected file:/absolute/path/to/file.db`,
      );
    }
    return { provider: "sqlite", filePath: path.resolve(cwd, sqlitePath) };
  }
  if (/^postgres(ql)?:\/\//i.test(trimmed)) {
    try {
      new URL(trimmed);
    } catch {
      throw new DatabaseUrlInvalidError(
        `invalid PostgreSQL database URL "${redactDatabaseUrl(trimmed)}": expected postgresql://user:password@host:5432/database`,
      );
    }
    return { provider: "postgresql", connectionString: trimmed };
  }
  throw new DatabaseUrlInvalidError(
    `unsupported database URL "${redactDatabaseUrl(trimmed)}": use file:/path/to/file.db (SQLite) or postgresql://user@host:5432/database`,
  );
}

/** The URL with any password (userinfo or `password=` parameter) replaced by `***`. */
export function redactDatabaseUrl(url: string): string {
  const schemeEnd = url.indexOf("://");
  if (schemeEnd < 0) return url;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // Unparseable: drop everything between "://" and the last "@", where a password would be.
    const at = url.lastIndexOf("@");
    return at > schemeEnd ? `${url.slice(0, schemeEnd + 3)}***${url.slice(at)}` : url;
  }
  if (parsed.password) parsed.password = "***";
  for (const key of [...parsed.searchParams.keys()]) {
    if (/pass/i.test(key)) parsed.searchParams.set(key, "***");
  }
  return parsed.toString();
}

/** The password of a URL if it has one, so it can be scrubbed from driver error messages. */
export function passwordsInDatabaseUrl(url: string): string[] {
  try {
    const parsed = new URL(url);
    const values = [decodeURIComponent(parsed.password), parsed.password];
    for (const [key, value] of parsed.searchParams) if (/pass/i.test(key)) values.push(value);
    return values.filter((v) => v.length > 0);
  } catch {
    return [];
  }
}

/** `text` with every occurrence of the URL's password(s) replaced by `***`. */
export function scrubPasswords(text: string, url: string): string {
  let result = text;
  for (const secret of passwordsInDatabaseUrl(url)) result = result.split(secret).join("***");
  return result;
}

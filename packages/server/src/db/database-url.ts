// Database URLs: which provider a URL names, and how to show it without its password.
import path from "node:path";
import { DatabaseUrlInvalidError } from "./errors.js";

export type DatabaseProvider = "sqlite" | "postgresql";

export type ParsedDatabaseUrl =
  | { provider: "sqlite" /** absolute path of the database file */; filePath: string }
  | { provider: "postgresql"; connectionString: string };

/**
 * The one parser of database URLs (the settings loader and the CLIs all come through here):
 * - `file:PATH` (Prisma style, `file:///abs` too); a relative PATH is resolved against `cwd`
 * - `sqlite:////abs/path` (SQLAlchemy, four slashes = absolute) and `sqlite:///rel/path`
 * - `postgresql://…` and `postgres://…` (kept as given; query parameters such as sslmode pass on)
 * SQLite URLs with query parameters and in-memory databases are refused: the first are not
 * supported by the adapter, the second would lose every record at exit.
 * @throws DatabaseUrlInvalidError naming the problem and the accepted forms
 */
export function parseDatabaseUrl(url: string, cwd: string = process.cwd()): ParsedDatabaseUrl {
  const text = url.trim();
  if (text === "") {
    throw new DatabaseUrlInvalidError(
      'empty database URL; use "file:/path/to/tokenleader.db" or "postgresql://user@host:5432/db"',
    );
  }
  if (/^postgres(ql)?:\/\//i.test(text))
    return { provider: "postgresql", connectionString: checkPostgresUrl(text) };
  let sqlitePath: string;
  if (/^sqlite:/i.test(text)) {
    const rest = text.replace(/^sqlite:/i, "");
    if (!rest.startsWith("///")) {
      throw new DatabaseUrlInvalidError(
        `invalid SQLite database URL "${text}": use "sqlite:////absolute/path.db" (four slashes) or "sqlite:///relative/path.db"`,
      );
    }
    sqlitePath = rest.slice(3); // "/abs/path" when four slashes were given, "rel/path" for three
  } else if (/^file:/i.test(text)) {
    sqlitePath = text.slice("file:".length).replace(/^\/\/(?=\/)/, ""); // file:///abs → /abs
  } else {
    throw new DatabaseUrlInvalidError(
      `unsupported database URL "${redactDatabaseUrl(text)}": use "file:/path/to/tokenleader.db", "sqlite:////path/to/tokenleader.db" or "postgresql://user@host:5432/db"`,
    );
  }
  if (sqlitePath.includes("?") || sqlitePath.includes("\0")) {
    throw new DatabaseUrlInvalidError(
      `invalid SQLite database URL "${text}": query parameters are not supported; use "file:/path/to/tokenleader.db"`,
    );
  }
  if (sqlitePath === "" || sqlitePath === ":memory:") {
    throw new DatabaseUrlInvalidError(
      `invalid SQLite database URL "${text}": it names no database file (an in-memory database would lose every record); use "file:/path/to/tokenleader.db"`,
    );
  }
  return { provider: "sqlite", filePath: path.resolve(cwd, sqlitePath) };
}

function checkPostgresUrl(text: string): string {
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new DatabaseUrlInvalidError(
      `invalid PostgreSQL database URL "${redactDatabaseUrl(text)}": use "postgresql://user:password@host:5432/database"`,
    );
  }
  if (parsed.hostname === "" && !parsed.searchParams.has("host")) {
    throw new DatabaseUrlInvalidError(
      `invalid PostgreSQL database URL "${redactDatabaseUrl(text)}": it names no host; use "postgresql://user:password@host:5432/database"`,
    );
  }
  return text;
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

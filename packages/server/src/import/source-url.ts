// Where `adminops import tokenleader1 --from …` reads: the forms tokenleader 1.x's
// SQLALCHEMY_DATABASE_URI takes (sqlite:///relative, sqlite:////absolute, postgresql+psycopg2://…,
// mysql+pymysql://…) and a plain file path, since the 1.x default was a SQLite file.
import path from "node:path";
import { parseDatabaseUrl, redactDatabaseUrl } from "../db/database-url.js";
import { AppError } from "../errors.js";

export type SourceLocation =
  | { kind: "sqlite"; filePath: string }
  | { kind: "postgresql"; connectionString: string }
  | { kind: "mysql"; url: URL };

const ACCEPTED =
  'a SQLite file path, "sqlite:////absolute/path.db", "sqlite:///relative/path.db", ' +
  '"postgresql://user:password@host:5432/db" or "mysql://user:password@host:3306/db"';

export function parseSourceLocation(text: string, cwd: string = process.cwd()): SourceLocation {
  const trimmed = text.trim();
  if (trimmed === "") throw unreadable(`--from is empty: give ${ACCEPTED}`);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(trimmed)?.[1]?.toLowerCase();
  // SQLAlchemy names the Python driver after a "+": the database is what comes before it.
  const dialect = scheme?.split("+")[0];
  if (scheme === undefined) {
    return { kind: "sqlite", filePath: path.resolve(cwd, trimmed) };
  }
  if (dialect === "mysql" || dialect === "mariadb") {
    return { kind: "mysql", url: parseNetworkUrl(trimmed) };
  }
  if (dialect === "postgresql" || dialect === "postgres") {
    return {
      kind: "postgresql",
      connectionString: withScheme(parseNetworkUrl(trimmed), "postgresql"),
    };
  }
  if (dialect === "sqlite" || dialect === "file") {
    try {
      const parsed = parseDatabaseUrl(trimmed.replace(/^sqlite\+[^:]*:/i, "sqlite:"), cwd);
      if (parsed.provider === "sqlite") return { kind: "sqlite", filePath: parsed.filePath };
    } catch (error) {
      throw unreadable(error instanceof Error ? error.message : String(error));
    }
  }
  throw unreadable(`unsupported source "${redactDatabaseUrl(trimmed)}": give ${ACCEPTED}`);
}

function parseNetworkUrl(text: string): URL {
  try {
    const url = new URL(text);
    if (url.hostname === "") throw new Error("no host");
    return url;
  } catch {
    throw unreadable(`invalid database URL "${redactDatabaseUrl(text)}": give ${ACCEPTED}`);
  }
}

function withScheme(url: URL, scheme: string): string {
  return `${scheme}:${url.href.slice(url.protocol.length)}`;
}

function unreadable(message: string): AppError {
  return new AppError("IMPORT_SOURCE_UNREADABLE", message);
}

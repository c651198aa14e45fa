import { stat } from "node:fs/promises";
import Database from "better-sqlite3";
import { AppError } from "../errors.js";
import type { SourceDatabase, SourceRow } from "./source-database.js";
import { quoteIdentifier, selectAllSql } from "./sql-identifiers.js";

/** Opens a tokenleader 1.x SQLite file read-only; a missing file is never created. */
export async function openSqliteSource(filePath: string): Promise<SourceDatabase> {
  const info = await stat(filePath).catch((error: NodeJS.ErrnoException) => {
    const why = error.code === "ENOENT" ? "does not exist" : `cannot be read (${error.code})`;
    throw new AppError("IMPORT_SOURCE_UNREADABLE", `the SQLite file ${filePath} ${why}`);
  });
  if (!info.isFile()) {
    throw new AppError("IMPORT_SOURCE_UNREADABLE", `${filePath} is not a file`);
  }
  const db = new Database(filePath, { readonly: true, fileMustExist: true });
  // A file that is not SQLite only fails at the first query: ask one now.
  db.prepare("SELECT name FROM sqlite_master LIMIT 1").all();
  return {
    description: filePath,
    async tables() {
      const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
        name: string;
      }[];
      return new Set(rows.map((row) => row.name.toLowerCase()));
    },
    async columns(table) {
      const rows = db.prepare(`PRAGMA table_info(${quoteIdentifier(table, '"')})`).all() as {
        name: string;
      }[];
      return new Set(rows.map((row) => row.name.toLowerCase()));
    },
    async rows(table, columns, orderBy) {
      return db.prepare(selectAllSql(table, columns, orderBy, '"')).all() as SourceRow[];
    },
    async close() {
      db.close();
    },
  };
}

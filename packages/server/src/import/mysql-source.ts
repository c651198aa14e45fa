import mysql from "mysql2/promise";
import type { SourceDatabase, SourceRow } from "./source-database.js";
import { selectAllSql } from "./sql-identifiers.js";

/**
 * Reads a tokenleader 1.x database on MySQL or MariaDB. The URL is SQLAlchemy's
 * (`mysql+pymysql://user:password@host:3306/db?charset=utf8mb4`): only user, password, host, port
 * and database are taken; the Python driver's query options mean nothing here.
 */
export async function openMysqlSource(url: URL, description: string): Promise<SourceDatabase> {
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (database === "") throw new Error("the URL names no database (…/dbname)");
  const connection = await mysql.createConnection({
    host: url.hostname,
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    database,
    connectTimeout: 10_000,
    // Text as JavaScript strings, numbers as numbers; dates are not read.
    supportBigNumbers: true,
  });
  connection.on("error", () => {});
  const names = async (sql: string, params: unknown[]) => {
    const [rows] = await connection.query(sql, params);
    return new Set((rows as { name: string }[]).map((row) => String(row.name).toLowerCase()));
  };
  return {
    description,
    tables: () =>
      names(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE()",
        [],
      ),
    columns: (table) =>
      names(
        "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND lower(table_name) = ?",
        [table],
      ),
    async rows(table, columns, orderBy) {
      const [rows] = await connection.query(selectAllSql(table, columns, orderBy, "`"));
      return rows as SourceRow[];
    },
    async close() {
      await connection.end().catch(() => {});
    },
  };
}

import pg from "pg";
import type { SourceDatabase, SourceRow } from "./source-database.js";
import { selectAllSql } from "./sql-identifiers.js";

/** Reads a tokenleader 1.x database on PostgreSQL (tables of the connection's current schema). */
export async function openPostgresSource(
  connectionString: string,
  description: string,
): Promise<SourceDatabase> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 10_000 });
  // An error event without a listener would end the process (a dropped connection).
  client.on("error", () => {});
  try {
    await client.connect();
    // Nothing of the import writes; the server makes sure of it too.
    await client.query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  const names = async (sql: string, params: unknown[]) => {
    const result = await client.query<{ name: string }>(sql, params);
    return new Set(result.rows.map((row) => row.name.toLowerCase()));
  };
  return {
    description,
    tables: () =>
      names(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
        [],
      ),
    columns: (table) =>
      names(
        "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND lower(table_name) = $1",
        [table],
      ),
    async rows(table, columns, orderBy) {
      const result = await client.query<SourceRow>(selectAllSql(table, columns, orderBy, '"'));
      return result.rows;
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}

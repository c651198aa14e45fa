// The few plain statements every login runs (guessing counters, trusted sources, the login user,
// the audit event), without Prisma's per-query machinery where that machinery is most of the cost.
//
// On SQLite a statement is a synchronous call into better-sqlite3 taking a few microseconds,
// while the same statement through `prisma.$queryRaw` costs 100–250 µs of event-loop CPU
// (request building, the query interpreter, result mapping) plus its garbage: about a third of a
// login's event-loop time, taken from every token verification waiting meanwhile. So on SQLite
// these statements run directly, prepared once, on the very connection Prisma uses (a second
// connection would wait for Prisma's write lock by blocking the event loop that holds it). On
// PostgreSQL they go through Prisma as before: there the network round trip dominates.
//
// Same SQL text and parameters either way (Prisma.sql). Results are what each driver returns:
// integers may come as number or bigint, times as Date or ISO text; callers convert.

import type BetterSqlite3 from "better-sqlite3";
import type { Prisma, PrismaClient } from "./prisma-client.js";

export interface HotStatements {
  /** The rows of a query (SELECT, or a write with RETURNING). */
  all<T>(query: Prisma.Sql): Promise<T[]>;
  /** Runs a write; the number of rows it changed. */
  run(query: Prisma.Sql): Promise<number>;
}

/** Prepared statements kept per connection: the handful of login statements, with room to spare. */
const MAX_PREPARED = 64;

export function createHotStatements(
  prisma: PrismaClient,
  sqliteConnection: () => BetterSqlite3.Database | null,
): HotStatements {
  let prepared = new Map<string, BetterSqlite3.Statement>();
  let preparedFor: BetterSqlite3.Database | null = null;

  const statement = (connection: BetterSqlite3.Database, sql: string) => {
    if (connection !== preparedFor) {
      prepared = new Map();
      preparedFor = connection;
    }
    let found = prepared.get(sql);
    if (found === undefined) {
      found = connection.prepare(sql);
      if (prepared.size >= MAX_PREPARED) {
        const oldest = prepared.keys().next().value;
        if (oldest !== undefined) prepared.delete(oldest);
      }
      prepared.set(sql, found);
    }
    return found;
  };

  return {
    async all<T>(query: Prisma.Sql): Promise<T[]> {
      const connection = sqliteConnection();
      if (connection === null) return prisma.$queryRaw<T[]>(query);
      return statement(connection, query.sql).all(...sqliteValues(query.values)) as T[];
    },
    async run(query: Prisma.Sql): Promise<number> {
      const connection = sqliteConnection();
      if (connection === null) return prisma.$executeRaw(query);
      return statement(connection, query.sql).run(...sqliteValues(query.values)).changes;
    },
  };
}

/**
 * Parameters as Prisma's SQLite adapter binds them: times as the ISO text Prisma writes and reads
 * back (`2026-12-03T16:06:57.235+00:00`), booleans as 1/0.
 */
function sqliteValues(values: readonly unknown[]): unknown[] {
  return values.map((value) => {
    if (value instanceof Date) return value.toISOString().replace(/Z$/, "+00:00");
    if (typeof value === "boolean") return value ? 1 : 0;
    return value;
  });
}

// Reads are retried once when the connection under them was lost: after pg_terminate_backend,
// a PostgreSQL restart or a reset connection, the pool drops the dead connection and the second
// try gets a fresh one, so the caller never sees the fault. Writes are never retried here: when
// the connection dies after the statement was sent, nobody knows whether it committed.
import { isLostConnection } from "./database-faults.js";
import type { PrismaClient } from "./prisma-client.js";

/** Prisma model operations that change nothing. */
const READ_OPERATIONS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
]);

/** The same client with every model read retried once on a lost connection. */
export function retryingReadsOnce(prisma: PrismaClient): PrismaClient {
  const extended = prisma.$extends({
    name: "retry-reads-once",
    query: {
      $allModels: {
        async $allOperations({ operation, args, query }) {
          if (!READ_OPERATIONS.has(operation)) return query(args);
          try {
            return await query(args);
          } catch (error) {
            if (!isLostConnection(error)) throw error;
            return query(args);
          }
        },
      },
    },
  });
  // A query-only extension keeps the client's API: only the type is new.
  return extended as unknown as PrismaClient;
}

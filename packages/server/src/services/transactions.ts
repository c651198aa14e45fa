import type { Database } from "../db/open-database.js";
import type { Prisma } from "../db/prisma-client.js";
import { toAppError } from "../errors.js";

export type Tx = Prisma.TransactionClient;

export interface TransactionOptions {
  /**
   * How long the transaction may run (Prisma's default, 5 s, suits one record; an import of a
   * whole database needs longer).
   */
  timeoutMs?: number;
}

/** Runs one write as one transaction: on any error nothing is saved, and the error is an AppError. */
export async function inTransaction<T>(
  db: Database,
  subject: string,
  work: (tx: Tx) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  try {
    return await db.prisma.$transaction(
      work,
      options.timeoutMs === undefined ? undefined : { timeout: options.timeoutMs },
    );
  } catch (error) {
    throw toAppError(error, subject);
  }
}

/** Runs a read; database failures become AppErrors (DB_NOT_INITIALISED, DB_UNREACHABLE…). */
export async function reading<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toAppError(error);
  }
}

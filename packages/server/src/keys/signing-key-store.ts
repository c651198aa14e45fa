import type { Database } from "../db/index.js";
import { isUniqueViolation } from "../errors.js";
import type { Tx } from "../services/transactions.js";

// The `signing_key` table: the deployment's signing keys, shared by every server process.

export interface StoredSigningKey {
  readonly sequence: number;
  readonly kid: string;
  readonly algorithm: string;
  readonly publicKeyPem: string;
  readonly privateKeyEncrypted: string;
  readonly origin: string;
  readonly createdAt: Date;
  readonly activatesAt: Date;
  readonly retiredAt: Date | null;
}

export type NewSigningKey = Pick<
  StoredSigningKey,
  | "sequence"
  | "kid"
  | "algorithm"
  | "publicKeyPem"
  | "privateKeyEncrypted"
  | "origin"
  | "activatesAt"
>;

/** Every key, oldest first. */
export async function listSigningKeys(db: Database): Promise<StoredSigningKey[]> {
  return db.prisma.signingKey.findMany({ orderBy: { sequence: "asc" } });
}

/**
 * Inserts the key unless its sequence (or kid) is taken; false when another process got there
 * first. Processes starting together on an empty table all insert sequence 1: one wins.
 */
export async function insertSigningKeyIfAbsent(db: Database, key: NewSigningKey): Promise<boolean> {
  try {
    await db.prisma.signingKey.create({ data: key });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Inside a transaction: the key with this kid, or null. */
export async function findSigningKey(tx: Tx, kid: string): Promise<StoredSigningKey | null> {
  return tx.signingKey.findUnique({ where: { kid } });
}

/** Inside a transaction: every key, oldest first. */
export async function listSigningKeysIn(tx: Tx): Promise<StoredSigningKey[]> {
  return tx.signingKey.findMany({ orderBy: { sequence: "asc" } });
}

/** Inside a transaction: stores a rotated key (its sequence is the caller's: the next one). */
export async function insertSigningKey(tx: Tx, key: NewSigningKey): Promise<StoredSigningKey> {
  return tx.signingKey.create({ data: key });
}

/** Inside a transaction: the key stops signing and stays published until `publishedUntil`. */
export async function retireSigningKey(
  tx: Tx,
  kid: string,
  publishedUntil: Date,
): Promise<StoredSigningKey> {
  return tx.signingKey.update({ where: { kid }, data: { retiredAt: publishedUntil } });
}

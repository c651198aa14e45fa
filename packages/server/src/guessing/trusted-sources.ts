// Per account, the sources (client addresses) it logged in from successfully lately: the idea of
// OWASP's device cookies, keyed by address. Only a sha256 of the address is stored; an IPv4
// address can still be found from it by trying all of them, so this is tidiness, not secrecy.

import { createHash } from "node:crypto";
import { type Database, Prisma } from "../db/index.js";

export interface TrustedSources {
  /** Until when (ms) the account trusts the source, or null (never or no longer). */
  trustedUntil(account: string, sourceHash: string, now: number): Promise<number | null>;
  remember(account: string, sourceHash: string, expiresAt: number): Promise<void>;
  /** Forgets every trusted source of the account; returns how many. */
  forget(account: string): Promise<number>;
  pruneExpired(now: number): Promise<void>;
}

export function hashSource(address: string): string {
  return createHash("sha256").update(address, "utf8").digest("hex");
}

export function createTrustedSources(db: Database): TrustedSources {
  const prisma = db.prisma;
  const table = prisma.trustedLoginSource;
  return {
    // Both run at every login: plain statements, the same text on SQLite and PostgreSQL, run
    // directly on SQLite (db/hot-statements.ts).
    async trustedUntil(account, sourceHash, now) {
      const rows = await db.hot.all<{ expires_at: bigint | number }>(Prisma.sql`
        SELECT "expires_at" FROM "trusted_login_source"
        WHERE "account" = ${account} AND "source_hash" = ${sourceHash}`);
      const until = rows[0] === undefined ? null : Number(rows[0].expires_at);
      return until !== null && until > now ? until : null;
    },
    async remember(account, sourceHash, expiresAt) {
      await db.hot.run(Prisma.sql`
        INSERT INTO "trusted_login_source" ("account", "source_hash", "expires_at")
        VALUES (${account}, ${sourceHash}, ${BigInt(expiresAt)})
        ON CONFLICT ("account", "source_hash") DO UPDATE SET "expires_at" = excluded."expires_at"`);
    },
    async forget(account) {
      return (await table.deleteMany({ where: { account } })).count;
    },
    async pruneExpired(now) {
      await table.deleteMany({ where: { expiresAt: { lte: BigInt(now) } } });
    },
  };
}

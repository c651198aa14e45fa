// Per account, the sources (client addresses) it logged in from successfully lately: the idea of
// OWASP's device cookies, keyed by address. Only a sha256 of the address is stored; an IPv4
// address can still be found from it by trying all of them, so this is tidiness, not secrecy.

import { createHash } from "node:crypto";
import type { Database } from "../db/index.js";

export interface TrustedSources {
  isTrusted(account: string, sourceHash: string, now: number): Promise<boolean>;
  remember(account: string, sourceHash: string, expiresAt: number): Promise<void>;
  /** Forgets every trusted source of the account; returns how many. */
  forget(account: string): Promise<number>;
  pruneExpired(now: number): Promise<void>;
}

export function hashSource(address: string): string {
  return createHash("sha256").update(address, "utf8").digest("hex");
}

export function createTrustedSources(db: Database): TrustedSources {
  const table = db.prisma.trustedLoginSource;
  return {
    async isTrusted(account, sourceHash, now) {
      const row = await table.findUnique({
        where: { account_sourceHash: { account, sourceHash } },
        select: { expiresAt: true },
      });
      return row !== null && Number(row.expiresAt) > now;
    },
    async remember(account, sourceHash, expiresAt) {
      await table.upsert({
        where: { account_sourceHash: { account, sourceHash } },
        create: { account, sourceHash, expiresAt: BigInt(expiresAt) },
        update: { expiresAt: BigInt(expiresAt) },
      });
    },
    async forget(account) {
      return (await table.deleteMany({ where: { account } })).count;
    },
    async pruneExpired(now) {
      await table.deleteMany({ where: { expiresAt: { lte: BigInt(now) } } });
    },
  };
}

// Revocation notices: how a revocation made by one server process reaches the in-process caches
// of every other process sharing a PostgreSQL database, at once instead of after their maximum
// age (2 s). The revoking statement's transaction sends the notice with pg_notify, so it is
// delivered at commit and never for a change that rolled back. SQLite (one file, usually one
// process) sends nothing; caches there rely on their maximum age alone.

import type { DatabaseProvider } from "../db/index.js";
import type { Tx } from "../services/index.js";
import type { SessionSource } from "./session-store.js";

/** The PostgreSQL channel every server process listens on. */
export const REVOCATION_CHANNEL = "tokenleader_revocations";

export type RevocationNotice =
  /** One login session ended (logout, refresh-token re-use…). */
  | { readonly kind: "session"; readonly sid: string }
  /** A user's sessions (and, for database users, bearer tokens) ended, or the user is gone. */
  | { readonly kind: "user"; readonly username: string; readonly source: SessionSource };

/** Prisma's client or a transaction of it: anything that can run the notify statement. */
export type NoticeClient = Pick<Tx, "$executeRaw">;

/** Sends `notice` (PostgreSQL only; delivered when `client`'s transaction commits). */
export async function sendRevocationNotice(
  client: NoticeClient,
  provider: DatabaseProvider,
  notice: RevocationNotice,
): Promise<void> {
  if (provider !== "postgresql") return;
  await client.$executeRaw`SELECT pg_notify(${REVOCATION_CHANNEL}, ${JSON.stringify(notice)})`;
}

/** The notice in a payload, or null for anything else (never trusted beyond its shape). */
export function parseRevocationNotice(payload: string): RevocationNotice | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const { kind, sid, username, source } = value as Record<string, unknown>;
  if (kind === "session" && typeof sid === "string") return { kind, sid };
  if (
    kind === "user" &&
    typeof username === "string" &&
    (source === "database" || source === "file")
  ) {
    return { kind, username, source };
  }
  return null;
}

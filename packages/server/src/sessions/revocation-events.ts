// Revocation events: what GET /revocations/stream publishes to enforcers that verify tokens
// locally (issue 17). Each revocation writes a row of `revocation_event` in the revoking
// transaction (so an event exists exactly when the revocation committed, whichever server process
// or adminops made it); the row id is the stream's cursor.
//
// Ids must appear in commit order, or a follower that has read id 6 would never see an id 5
// committed after it. SQLite has one writer at a time; on PostgreSQL the writing transaction takes
// a transaction-scoped advisory lock first, so event-writing transactions commit one after the
// other (revocations are rare; the lock is held only until that commit).
//
// Rows are kept for RETENTION (longer than any token lives, so a deleted user's event outlives
// their tokens); a follower whose cursor is older than the oldest row left gets a snapshot.

import type { Database, DatabaseProvider } from "../db/index.js";
import type { Tx } from "../services/index.js";

/** What a follower receives (the SSE `data` of a `revocation` event). */
export type RevocationEventData =
  | { readonly type: "user"; readonly username: string; readonly validAfter: number }
  | { readonly type: "session"; readonly sid: string };

export interface RevocationEvent {
  readonly id: number;
  readonly data: RevocationEventData;
}

/** The full current state, sent as a `resync` event when a cursor is too old or absent. */
export interface RevocationSnapshot {
  /** The cursor to continue from: every event up to it is reflected here. */
  readonly id: number;
  readonly users: ReadonlyArray<{ readonly username: string; readonly validAfter: number }>;
  readonly sessions: readonly string[];
}

/** How long events are kept: a day, longer than the token lifetimes tokenleader allows. */
export const REVOCATION_EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Arbitrary constant naming the advisory lock that orders event-writing transactions. */
const EVENT_ORDER_LOCK = 7_170_417;

type EventClient = Pick<Tx, "revocationEvent" | "$executeRaw">;

/** Records events inside the revoking transaction `tx` (pass a transaction, not the client). */
export async function recordRevocationEvents(
  tx: EventClient,
  provider: DatabaseProvider,
  events: readonly RevocationEventData[],
): Promise<void> {
  if (events.length === 0) return;
  if (provider === "postgresql") {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${EVENT_ORDER_LOCK})`;
  }
  for (const event of events) {
    await tx.revocationEvent.create({
      data:
        event.type === "user"
          ? { kind: "user", username: event.username, validAfter: new Date(event.validAfter) }
          : { kind: "session", sid: event.sid },
    });
  }
}

/**
 * Whether every event after `cursor` is still kept. False when some may have been pruned (the
 * cursor is below the oldest row; or the ids there are gaps a rolled-back transaction left: a
 * needless resync, harmless) or the cursor belongs to another, or a reset, database (beyond the
 * newest row). Pruning always keeps the newest row, so an empty table means none was ever written.
 */
export async function isCursorKept(db: Database, cursor: number): Promise<boolean> {
  const bounds = await db.prisma.revocationEvent.aggregate({
    _min: { id: true },
    _max: { id: true },
  });
  const oldest = bounds._min.id;
  const newest = bounds._max.id;
  if (oldest === null || newest === null) return cursor === 0;
  return cursor >= oldest - 1 && cursor <= newest;
}

/** The events after `cursor`, oldest first (at most `limit`). */
export async function readRevocationEvents(
  db: Database,
  cursor: number,
  limit = 500,
): Promise<RevocationEvent[]> {
  const rows = await db.prisma.revocationEvent.findMany({
    where: { id: { gt: cursor } },
    orderBy: { id: "asc" },
    take: limit,
  });
  return rows.flatMap(toEvent);
}

/** Users whose tokens are cut off and ended sessions that have not expired, as of now. */
export async function readRevocationSnapshot(
  db: Database,
  now = new Date(),
): Promise<RevocationSnapshot> {
  // The cursor first: events written after this read are sent afterwards (applying one twice
  // changes nothing).
  const newest = await db.prisma.revocationEvent.findFirst({
    orderBy: { id: "desc" },
    select: { id: true },
  });
  const [users, userEvents, sessions] = await Promise.all([
    db.prisma.user.findMany({
      where: { tokensValidAfter: { not: null } },
      select: { username: true, tokensValidAfter: true },
    }),
    // Deleted users have no row left: their events (kept longer than their tokens live) say so.
    db.prisma.revocationEvent.findMany({
      where: { kind: "user", username: { not: null }, validAfter: { not: null } },
      select: { username: true, validAfter: true },
      orderBy: { id: "asc" },
    }),
    db.prisma.loginSession.findMany({
      where: { revokedAt: { not: null }, expiresAt: { gt: now } },
      select: { id: true },
    }),
  ]);
  const validAfter = new Map<string, number>();
  for (const event of userEvents) validAfter.set(event.username!, event.validAfter!.getTime());
  // The user table is the truth for users that exist.
  for (const user of users) validAfter.set(user.username, user.tokensValidAfter!.getTime());
  return {
    id: newest?.id ?? 0,
    users: [...validAfter].map(([username, at]) => ({ username, validAfter: at })),
    sessions: sessions.map((row) => row.id),
  };
}

/** Deletes events older than `olderThanMs`, always keeping the newest (the cursors' anchor). */
export async function pruneRevocationEvents(
  db: Database,
  olderThanMs: number = REVOCATION_EVENT_RETENTION_MS,
  now = Date.now(),
): Promise<number> {
  const newest = await db.prisma.revocationEvent.findFirst({
    orderBy: { id: "desc" },
    select: { id: true },
  });
  if (newest === null) return 0;
  const lastOld = await db.prisma.revocationEvent.findFirst({
    where: { createdAt: { lt: new Date(now - olderThanMs) }, id: { lt: newest.id } },
    orderBy: { id: "desc" },
    select: { id: true },
  });
  if (lastOld === null) return 0;
  const { count } = await db.prisma.revocationEvent.deleteMany({
    where: { id: { lte: lastOld.id } },
  });
  return count;
}

function toEvent(row: {
  id: number;
  kind: string;
  username: string | null;
  sid: string | null;
  validAfter: Date | null;
}): RevocationEvent[] {
  if (row.kind === "user" && row.username !== null && row.validAfter !== null) {
    return [
      {
        id: row.id,
        data: { type: "user", username: row.username, validAfter: row.validAfter.getTime() },
      },
    ];
  }
  if (row.kind === "session" && row.sid !== null) {
    return [{ id: row.id, data: { type: "session", sid: row.sid } }];
  }
  return [];
}

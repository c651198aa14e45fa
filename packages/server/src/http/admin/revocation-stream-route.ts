// GET /revocations/stream: revocations pushed to enforcers that verify tokens locally (issue 17),
// as Server-Sent Events. Protected like the admin API, by the rule `tokenleader.revocations.follow`
// (grant it to the role of the services' follower account in role_to_acl_map.yml): a follower is
// an ordinary user with a token, so no second kind of credential exists.
//
// Events: `revocation` (data `{type:"user",username,validAfter}` or `{type:"session",sid}`, id =
// the row of revocation_event) and `resync` (data `{users:[…],sessions:[…]}`, the full state, sent
// when the follower gives no Last-Event-ID or one older than the oldest kept event). Events are
// written by whichever server process revoked, so each stream reads the shared table: at once when
// the session store announces a revocation (made here, or a PostgreSQL notice from another
// process), and every POLL_MS besides.
// The stream ends when the follower's token expires (it reconnects with a fresh one) and when the
// server closes.

import type { FastifyEnforcer } from "@tokenleader/enforcer/fastify";
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import type { Database } from "../../db/index.js";
import type { SessionStore } from "../../sessions/index.js";
import {
  isCursorKept,
  pruneRevocationEvents,
  type RevocationEvent,
  type RevocationSnapshot,
  readRevocationEvents,
  readRevocationSnapshot,
} from "../../sessions/revocation-events.js";

export const REVOCATION_STREAM_ROUTE = {
  method: "GET",
  url: "/revocations/stream",
  rule: "tokenleader.revocations.follow",
} as const;

/**
 * How often each stream looks for new events besides being woken: well inside the 1 s the issue
 * allows. A revocation made in this process, or announced by another over PostgreSQL's
 * LISTEN/NOTIFY, wakes the streams at once; on SQLite another process's is only seen by polling.
 */
const POLL_MS = { sqlite: 200, postgresql: 500 } as const;
/** A comment line this often keeps proxies from closing a quiet stream. */
const HEARTBEAT_MS = 15_000;
/** Tells EventSource-style clients how soon to reconnect after the stream ends. */
const RETRY_MS = 1_000;

const CURSOR = /^\d{1,15}$/;
/** How often each server process prunes events past their retention (a day). */
const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export function registerRevocationStreamRoute(
  app: FastifyInstance,
  enforcer: FastifyEnforcer,
  db: Database,
  sessions: SessionStore,
): void {
  const open = new Set<() => void>();
  const pruning = setInterval(() => {
    pruneRevocationEvents(db).catch((error: unknown) =>
      app.log.warn({ err: (error as Error).message }, "could not prune revocation events"),
    );
  }, PRUNE_INTERVAL_MS);
  pruning.unref();
  app.addHook("onClose", async () => clearInterval(pruning));
  // Hijacked responses would hold the server's close until they end.
  app.addHook("preClose", async () => {
    for (const end of open) end();
  });
  app.route({
    method: REVOCATION_STREAM_ROUTE.method,
    url: REVOCATION_STREAM_ROUTE.url,
    schema: {
      summary: "Follow revocations (Server-Sent Events) for enforcers verifying tokens locally",
      tags: ["revocations"],
    },
    onRequest: enforcer.enforce(
      REVOCATION_STREAM_ROUTE.rule,
    ) as unknown as onRequestAsyncHookHandler,
    handler: async (request, reply) => {
      const header = request.headers["last-event-id"];
      const cursor =
        typeof header === "string" && CURSOR.test(header.trim()) ? Number(header) : null;
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store",
        "x-accel-buffering": "no",
      });
      raw.write(`retry: ${RETRY_MS}\n\n`);
      let ended = false;
      let wakeSleeper: (() => void) | null = null;
      /** A wake-up that came while the stream was busy reading: the next sleep returns at once. */
      let woken = false;
      const wake = () => {
        woken = true;
        wakeSleeper?.();
      };
      const unsubscribe = sessions.onRevocation(wake);
      const end = () => {
        if (ended) return;
        ended = true;
        open.delete(end);
        clearTimeout(expiry);
        unsubscribe();
        wake();
        raw.end();
      };
      open.add(end);
      raw.on("close", end);
      const expiry = setTimeout(end, msUntilExpiry(request));
      const sleep = (ms: number) =>
        new Promise<void>((resolve) => {
          if (woken) {
            woken = false;
            return resolve();
          }
          const timer = setTimeout(done, ms);
          wakeSleeper = done;
          function done() {
            clearTimeout(timer);
            wakeSleeper = null;
            woken = false;
            resolve();
          }
        });
      try {
        await follow(db, cursor, {
          ended: () => ended,
          write: (text) => raw.write(text),
          sleep,
        });
      } catch (error) {
        // The database is away: end the stream; the follower reconnects with its cursor.
        request.log.warn({ err: (error as Error).message }, "revocation stream failed");
      } finally {
        end();
      }
    },
  });
}

interface StreamIo {
  ended(): boolean;
  write(text: string): void;
  sleep(ms: number): Promise<void>;
}

async function follow(db: Database, from: number | null, io: StreamIo): Promise<void> {
  // Whether the follower's cursor is still good is asked once: after that the stream reads every
  // event as it comes, and pruning (of day-old rows, never the newest) cannot overtake it.
  let cursor = from !== null && (await isCursorKept(db, from)) ? from : null;
  let lastWrite = Date.now();
  while (!io.ended()) {
    if (cursor === null) {
      const snapshot = await readRevocationSnapshot(db);
      if (io.ended()) return;
      io.write(resyncMessage(snapshot));
      cursor = snapshot.id;
      lastWrite = Date.now();
      continue;
    }
    const events = await readRevocationEvents(db, cursor);
    if (io.ended()) return;
    for (const event of events) {
      io.write(revocationMessage(event));
      cursor = event.id;
    }
    if (events.length > 0) {
      lastWrite = Date.now();
      continue;
    }
    if (Date.now() - lastWrite >= HEARTBEAT_MS) {
      io.write(": keep-alive\n\n");
      lastWrite = Date.now();
    }
    await io.sleep(POLL_MS[db.provider]);
  }
}

function revocationMessage(event: RevocationEvent): string {
  return `id: ${event.id}\nevent: revocation\ndata: ${JSON.stringify(event.data)}\n\n`;
}

function resyncMessage(snapshot: RevocationSnapshot): string {
  const data = { users: snapshot.users, sessions: snapshot.sessions };
  return `id: ${snapshot.id}\nevent: resync\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Until the follower's token expires (the longest a timer may wait at most). */
function msUntilExpiry(request: FastifyRequest): number {
  const exp = request.tokenleader?.claims["exp"];
  const ms = typeof exp === "number" ? exp * 1000 - Date.now() : Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(ms, 2 ** 31 - 1));
}

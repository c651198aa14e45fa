// Applies the revocation notices of other server processes (see revocation-notices.ts) to this
// process's session store: the matching cached answers are dropped, so the next check reads the
// database. When listening (re)starts every cached answer is dropped, since notices sent while
// the connection was down are lost. On SQLite nothing listens.

import type { Database } from "../db/index.js";
import { type ListenerLog, startNotificationListener } from "../db/notification-listener.js";
import { parseRevocationNotice, REVOCATION_CHANNEL } from "./revocation-notices.js";
import type { SessionStore } from "./session-store.js";

/** The listening connection's application_name (visible in pg_stat_activity). */
export const REVOCATION_LISTENER_NAME = "tokenleader-revocations";

export interface RevocationListener {
  close(): Promise<void>;
}

export async function listenForRevocations(
  db: Database,
  sessions: SessionStore,
  log: ListenerLog,
): Promise<RevocationListener> {
  if (db.provider !== "postgresql") return { close: async () => {} };
  return startNotificationListener({
    url: db.url,
    channel: REVOCATION_CHANNEL,
    applicationName: REVOCATION_LISTENER_NAME,
    log,
    onListening: () => sessions.forgetAll(),
    onNotification(payload) {
      const notice = parseRevocationNotice(payload);
      if (notice === null) {
        // Not ours (another program on the channel): dropping everything is the safe answer.
        log.warn({ channel: REVOCATION_CHANNEL }, "unrecognised revocation notice");
        sessions.forgetAll();
      } else if (notice.kind === "session") {
        sessions.forgetSession(notice.sid);
      } else {
        sessions.forgetUser(notice.username, notice.source);
      }
    },
  });
}

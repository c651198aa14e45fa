import type { Database } from "../db/index.js";
import { type ListenerLog, startNotificationListener } from "../db/notification-listener.js";
import { decodeDeploymentKeys } from "./deployment-keys.js";
import type { KeyEncryptionKey } from "./key-encryption-key.js";
import type { KeyRing } from "./key-ring.js";
import { SIGNING_KEY_CHANNEL } from "./signing-key-notices.js";
import { listSigningKeys } from "./signing-key-store.js";

// Keeps a process's KeyRing in step with the `signing_key` table: re-read on every PostgreSQL
// notice of a key change (at once), each time listening (re)starts (notices sent meanwhile are
// lost), and every refresh interval (the fallback, and all there is on SQLite). A failed read
// keeps the keys in memory: they stay right until the next rotation, which the next read finds.

/** The listening connection's application_name (visible in pg_stat_activity). */
export const SIGNING_KEY_LISTENER_NAME = "tokenleader-signing-keys";

export interface KeySetRefresherOptions {
  readonly db: Database;
  readonly kek: KeyEncryptionKey;
  readonly ring: KeyRing;
  readonly intervalMs: number;
  readonly log: ListenerLog;
}

export interface KeySetRefresher {
  /** Starts the timer and (PostgreSQL) the listener. */
  start(): Promise<void>;
  /** Re-reads the keys now; concurrent calls share one read (plus one more if asked meanwhile). */
  refresh(): Promise<void>;
  /** Stops everything; waits for a read in progress. */
  close(): Promise<void>;
}

export function createKeySetRefresher(options: KeySetRefresherOptions): KeySetRefresher {
  const { db, kek, ring, log } = options;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;
  let listener: { close(): Promise<void> } | null = null;
  let closed = false;

  const readOnce = async () => {
    const before = ring.current();
    try {
      const rows = await listSigningKeys(db);
      ring.replace(await decodeDeploymentKeys(rows, kek, ring.keys.extra, ring.keys));
    } catch (error) {
      log.warn(
        { reason: error instanceof Error ? error.message : String(error) },
        "could not re-read the signing keys; the keys in memory stay in use",
      );
      return;
    }
    const after = ring.current();
    const kids = (set: typeof after) => set.verificationKeys.map((key) => key.kid).join(",");
    if (kids(before) !== kids(after)) {
      log.info(
        { signingKid: after.signingKey.kid, published: after.verificationKeys.map((k) => k.kid) },
        "signing keys changed",
      );
    }
  };

  const refresh = (): Promise<void> => {
    if (closed) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await readOnce();
      } while (again && !closed);
    })().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    async start() {
      timer = setInterval(() => void refresh(), options.intervalMs);
      timer.unref();
      if (db.provider !== "postgresql") return;
      listener = await startNotificationListener({
        url: db.url,
        channel: SIGNING_KEY_CHANNEL,
        applicationName: SIGNING_KEY_LISTENER_NAME,
        log,
        onListening: () => void refresh(),
        onNotification: () => void refresh(),
      });
    },
    refresh,
    async close() {
      closed = true;
      if (timer !== null) clearInterval(timer);
      await listener?.close();
      await running;
    },
  };
}

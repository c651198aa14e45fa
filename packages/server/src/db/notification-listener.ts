// A dedicated PostgreSQL connection that LISTENs on one channel. Not from Prisma's pool: LISTEN
// belongs to a session, and a pooled connection is handed to other queries between uses.
// When the connection drops it reconnects with a growing delay; each time listening (re)starts
// the owner is told, because notifications sent while nobody listened are lost for good.

import pg from "pg";
import { postgresConnectTimeoutMs } from "./adapter-factory.js";

/** What the listener logs through (pino and Fastify's logger fit). */
export interface ListenerLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface NotificationListenerOptions {
  /** A `postgresql://…` URL (the database's own). */
  readonly url: string;
  /** A plain lower-case identifier. */
  readonly channel: string;
  /** Shown in pg_stat_activity, so operators (and tests) can find the connection. */
  readonly applicationName: string;
  readonly onNotification: (payload: string) => void;
  /** Each time listening starts or restarts after a loss: anything sent meanwhile was missed. */
  readonly onListening: () => void;
  readonly log: ListenerLog;
  /** First reconnection delay (ms), doubled after each failure up to `maxRetryDelayMs`. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

export interface NotificationListener {
  /** Stops listening and closes the connection; no reconnection follows. */
  close(): Promise<void>;
}

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Connects and LISTENs. Resolves after the first attempt: listening, or (when the database does
 * not answer) retrying in the background with a warning logged.
 */
export async function startNotificationListener(
  options: NotificationListenerOptions,
): Promise<NotificationListener> {
  if (!CHANNEL_NAME.test(options.channel)) {
    throw new Error(`invalid notification channel name "${options.channel}"`);
  }
  const firstDelayMs = options.retryDelayMs ?? 100;
  const maxDelayMs = options.maxRetryDelayMs ?? 5_000;
  let delayMs = firstDelayMs;
  let current: pg.Client | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let closed = false;

  const retryLater = (reason: string) => {
    if (closed || retryTimer !== null) return;
    options.log.warn(
      { channel: options.channel, reason, retryInMs: delayMs },
      "not listening for database notifications; caches fall back to their maximum age",
    );
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, delayMs);
    retryTimer.unref();
    delayMs = Math.min(delayMs * 2, maxDelayMs);
  };

  const lost = (client: pg.Client, reason: string) => {
    if (client !== current) return;
    current = null;
    client.end().catch(() => {});
    retryLater(reason);
  };

  const connect = async () => {
    const client = new pg.Client({
      connectionString: options.url,
      connectionTimeoutMillis: postgresConnectTimeoutMs,
      application_name: options.applicationName,
      // A peer that vanished without closing the connection is noticed too.
      keepAlive: true,
    });
    client.on("error", (error) => lost(client, error.message));
    client.on("end", () => lost(client, "connection closed"));
    client.on("notification", (message) => {
      if (message.channel === options.channel && message.payload !== undefined) {
        options.onNotification(message.payload);
      }
    });
    current = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${options.channel}`);
    } catch (error) {
      lost(client, error instanceof Error ? error.message : String(error));
      return;
    }
    if (closed || client !== current) return;
    delayMs = firstDelayMs;
    options.onListening();
    options.log.info({ channel: options.channel }, "listening for database notifications");
  };

  await connect();
  return {
    async close() {
      closed = true;
      if (retryTimer !== null) clearTimeout(retryTimer);
      const client = current;
      current = null;
      await client?.end().catch(() => {});
    },
  };
}

// The pg pool under Prisma on PostgreSQL, with the limits that make a database fault end in a
// quick 503 instead of a hang: a connect (and pool wait) timeout, a statement timeout the server
// enforces, a client-side read timeout a little longer for connections that stop answering
// altogether, an idle-in-transaction timeout, and TCP keepalive. A connection that failed or
// timed out is ended, so the pool replaces it: no restart is ever needed.
import pg from "pg";

export interface PostgresPoolOptions {
  /** Connecting, and waiting for a free pooled connection (ms). */
  readonly connectTimeoutMs: number;
  /** PostgreSQL's statement_timeout for every statement (ms). */
  readonly statementTimeoutMs: number;
  /** Most connections this process opens. */
  readonly poolSize: number;
  /** An idle pooled connection failed (the pool has dropped it); for the log. */
  readonly onConnectionError?: (error: Error) => void;
}

export const POSTGRES_POOL_DEFAULTS: PostgresPoolOptions = Object.freeze({
  connectTimeoutMs: 5_000,
  statementTimeoutMs: 10_000,
  poolSize: 10,
});

/**
 * The client gives up this much after the server's statement_timeout: the server normally ends a
 * slow statement itself (57014, a clean error on a healthy connection); only a connection that
 * stops answering altogether reaches the client-side limit.
 */
const READ_TIMEOUT_MARGIN_MS = 2_000;

/** First TCP keepalive probe after this much silence (Node's default is 0: the OS's 2 hours). */
const KEEPALIVE_INITIAL_DELAY_MS = 10_000;

export function createPostgresPool(
  connectionString: string,
  options: PostgresPoolOptions = POSTGRES_POOL_DEFAULTS,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs,
    query_timeout: options.statementTimeoutMs + READ_TIMEOUT_MARGIN_MS,
    // A transaction left open by a client that went away must not hold its locks for long.
    idle_in_transaction_session_timeout: Math.max(options.statementTimeoutMs * 2, 10_000),
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_INITIAL_DELAY_MS,
    application_name: "tokenleader",
  });
  // An idle client's error (its backend terminated, the socket reset) is emitted on the pool,
  // which has already dropped that client; without a listener it would crash the process.
  pool.on("error", (error) => options.onConnectionError?.(error));
  pool.on("connect", (client) => endClientAfterReadTimeout(client));
  return pool;
}

/**
 * pg answers a read timeout with an error but keeps the connection, still waiting for the
 * lost answer, and Prisma hands transaction connections back to the pool without an error:
 * the next statement on it would hang again. Ending the client (which destroys its socket when
 * a statement is still active) makes the pool drop it on release and open a new one.
 */
function endClientAfterReadTimeout(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const result = query(...args);
    if (result instanceof Promise) {
      result.catch((error: unknown) => {
        if (error instanceof Error && error.message === "Query read timeout") {
          client.end().catch(() => {});
        }
      });
    }
    return result;
  };
}

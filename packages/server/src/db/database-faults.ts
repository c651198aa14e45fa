// Which errors mean "the database is not available right now" (a fault to answer 503 with
// Retry-After, and to retry once where that is safe) rather than a bug or a refused request.
//
// The same fault reaches us in many wrappings: a pg error with a SQLSTATE, a Node socket error,
// a plain pg Error with only a message ("Connection terminated unexpectedly"), a Prisma driver
// adapter error (`kind` + `originalCode`), or a PrismaClientKnownRequestError whose `meta`
// holds that adapter error. Everything is recognised by shape, so this file imports no driver.

/**
 * SQLSTATE classes and codes of PostgreSQL that say the connection or the server is going away
 * or is overloaded, not that the statement is wrong:
 * 08xxx connection exceptions; 57P01 admin shutdown (pg_terminate_backend), 57P02 crash
 * shutdown, 57P03 cannot connect now (starting up, recovery); 57014 statement timeout / cancel;
 * 53300 too many connections; 40001/40P01 serialization failure / deadlock (retry the
 * transaction); 25P03 idle-in-transaction session timeout.
 */
const TRANSIENT_SQLSTATES = new Set([
  "57P01",
  "57P02",
  "57P03",
  "57014",
  "53300",
  "40001",
  "40P01",
  "25P03",
]);

/** Node socket errors on the database connection. */
const TRANSIENT_SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** Prisma's driver adapter error kinds for the same faults (adapter-pg, adapter-better-sqlite3). */
const TRANSIENT_ADAPTER_KINDS = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
  "TransactionWriteConflict",
  "TransactionAlreadyClosed",
]);

/**
 * Prisma error codes: P1001 unreachable, P1002 timed out, P1008 operation timed out (SQLite busy
 * arrives as this), P1017 server closed the connection, P1018 transaction already closed,
 * P2024 pool timeout, P2028 transaction API error (could not start in time / expired),
 * P2034 write conflict or deadlock, P2037 too many connections.
 */
const TRANSIENT_PRISMA_CODES = new Set([
  "P1001",
  "P1002",
  "P1008",
  "P1017",
  "P1018",
  "P2024",
  "P2028",
  "P2034",
  "P2037",
]);

/** SQLite result codes: busy and locked (another process holds the write lock). */
const TRANSIENT_SQLITE_CODES = /^SQLITE_(BUSY|LOCKED)/;

/** Messages of pg, pg-pool and Prisma that carry no code. */
const TRANSIENT_MESSAGES = [
  /Connection terminated/i,
  /not queryable/i,
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /Connection ended unexpectedly/i,
  /database is locked/i,
  /Operation has timed out/i,
  /Can't reach database server/i,
  /Server has closed the connection/i,
  /Transaction already closed/i,
  /Unable to start a transaction in the given time/i,
  /Cannot use a pool after calling end/i,
];

/**
 * True when `error` (or anything it wraps) is a database fault a client should retry later:
 * lost or refused connections, timeouts, a busy SQLite file, a server shutting down.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (const layer of errorLayers(error)) {
    const code = stringField(layer, "code");
    const originalCode = stringField(layer, "originalCode");
    for (const c of [code, originalCode]) {
      if (c === undefined) continue;
      if (TRANSIENT_SQLSTATES.has(c) || /^08[0-9A-Z]{3}$/.test(c)) return true;
      if (TRANSIENT_SOCKET_CODES.has(c) || TRANSIENT_PRISMA_CODES.has(c)) return true;
      if (TRANSIENT_SQLITE_CODES.test(c)) return true;
    }
    const kind = stringField(layer, "kind");
    if (kind !== undefined && TRANSIENT_ADAPTER_KINDS.has(kind)) return true;
    const message = stringField(layer, "message") ?? stringField(layer, "originalMessage");
    if (message !== undefined && TRANSIENT_MESSAGES.some((pattern) => pattern.test(message))) {
      return true;
    }
  }
  return false;
}

/** pg's own messages when a connection it was using went away (no SQLSTATE to go by). */
const LOST_CONNECTION_MESSAGES = [
  /Connection terminated/i,
  /not queryable/i,
  /Connection ended unexpectedly/i,
  /Server has closed the connection/i,
];

/**
 * True when the connection under a statement was lost (the backend was terminated or crashed, the
 * socket reset): a fault a read may simply try again, since the pool has already dropped that
 * connection and the retry gets a fresh one. Timeouts are not included: trying again would only
 * double the wait.
 */
export function isLostConnection(error: unknown): boolean {
  for (const layer of errorLayers(error)) {
    for (const c of [stringField(layer, "code"), stringField(layer, "originalCode")]) {
      if (c === undefined) continue;
      if (c === "57P01" || c === "57P02" || /^08[0-9A-Z]{3}$/.test(c)) return true;
      if (c === "ECONNRESET" || c === "EPIPE" || c === "P1017") return true;
    }
    if (stringField(layer, "kind") === "ConnectionClosed") return true;
    const message = stringField(layer, "message") ?? stringField(layer, "originalMessage");
    if (message !== undefined && LOST_CONNECTION_MESSAGES.some((p) => p.test(message))) {
      return true;
    }
  }
  return false;
}

/**
 * The error and what it wraps: `cause`, Prisma's `meta.driverAdapterError` and that error's
 * `cause` (the adapter's `{kind, originalCode, …}`). Bounded, so a cyclic chain cannot loop.
 */
function errorLayers(error: unknown): object[] {
  const layers: object[] = [];
  const queue: unknown[] = [error];
  while (queue.length > 0 && layers.length < 12) {
    const current = queue.shift();
    if (typeof current !== "object" || current === null || layers.includes(current)) continue;
    layers.push(current);
    const record = current as { cause?: unknown; meta?: { driverAdapterError?: unknown } };
    queue.push(record.cause, record.meta?.driverAdapterError);
  }
  return layers;
}

function stringField(value: object, key: string): string | undefined {
  const field = (value as Record<string, unknown>)[key];
  return typeof field === "string" ? field : undefined;
}

import { METHODS } from "node:http";
import {
  Counter,
  collectDefaultMetrics,
  Gauge,
  Histogram,
  type LabelValues,
  Registry,
} from "prom-client";
import type { PoolStats } from "../db/index.js";

// The server's Prometheus metrics: one registry per process (a scrape target is a process), and
// the only file that imports prom-client. The services report through the small functions below,
// so a counter's name and labels are defined once, here. Every label takes values from a fixed,
// small set (route patterns, never raw URLs; reasons from the code's own unions), so a client
// cannot grow the number of series.

const PREFIX = "tokenleader_";

export const metricsRegistry = new Registry();

const httpRequests = new Counter({
  name: `${PREFIX}http_requests_total`,
  help: "HTTP requests answered, by method, route pattern and status code",
  labelNames: ["method", "route", "status"] as const,
  registers: [metricsRegistry],
});

const httpDuration = new Histogram({
  name: `${PREFIX}http_request_duration_seconds`,
  help: "Time from the request's arrival to the end of its response, by method and route pattern",
  labelNames: ["method", "route"] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/** How a login went: "limited" is a refusal by the guessing policy, the password unchecked. */
export type LoginOutcome = "success" | "failure" | "limited";
/** gettoken: POST /token/gettoken (bearer tokens); login: the cookie login's POST /login. */
export type LoginEndpoint = "gettoken" | "login";

const logins = new Counter({
  name: `${PREFIX}logins_total`,
  help: "Password logins by endpoint (gettoken, login) and outcome (success, failure, limited)",
  labelNames: ["endpoint", "outcome"] as const,
  registers: [metricsRegistry],
});

/** bearer: /token/gettoken; access and refresh: the cookie login's tokens. */
export type TokenKind = "bearer" | "access" | "refresh";

const tokensIssued = new Counter({
  name: `${PREFIX}tokens_issued_total`,
  help: "Tokens signed, by kind (bearer, access, refresh)",
  labelNames: ["kind"] as const,
  registers: [metricsRegistry],
});

const verificationsRefused = new Counter({
  name: `${PREFIX}token_verifications_refused_total`,
  help: "Tokens refused by /token/verify_token, by reason",
  labelNames: ["reason"] as const,
  registers: [metricsRegistry],
});

const verificationsAccepted = new Counter({
  name: `${PREFIX}token_verifications_accepted_total`,
  help: "Tokens accepted by /token/verify_token",
  registers: [metricsRegistry],
});

/** hash: a new password hash; verify: a password checked against a stored hash. */
export type PasswordOperation = "hash" | "verify";

const passwordSeconds = new Histogram({
  name: `${PREFIX}password_hash_duration_seconds`,
  help: "Time spent hashing or checking a password, by operation and stored hash scheme",
  labelNames: ["operation", "scheme"] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

const cacheLookups = new Counter({
  name: `${PREFIX}cache_lookups_total`,
  help: "Lookups in the in-process caches (session, bearer_user), by result (hit, miss)",
  labelNames: ["cache", "result"] as const,
  registers: [metricsRegistry],
});

/** What the metrics read of a database: a `Database`, or less in tests. */
export interface ObservedDatabase {
  readonly provider: string;
  /** null where there is no pool (SQLite). */
  poolStats?(): PoolStats | null;
}

const observedDatabases = new Set<ObservedDatabase>();

// Read at each scrape (collect), so nothing is kept up to date per query.
new Gauge({
  name: `${PREFIX}database_info`,
  help: "1 per open database, labelled with its provider (postgresql, sqlite)",
  labelNames: ["provider"] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const db of observedDatabases) this.inc({ provider: db.provider });
  },
});

new Gauge({
  name: `${PREFIX}db_pool_connections`,
  help: "PostgreSQL pool connections by state (total, idle); absent on SQLite (no pool)",
  labelNames: ["state"] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    const stats = pooledStats();
    if (stats === null) return;
    this.set({ state: "total" }, stats.total);
    this.set({ state: "idle" }, stats.idle);
  },
});

new Gauge({
  name: `${PREFIX}db_pool_waiting_requests`,
  help: "Queries waiting for a free PostgreSQL pool connection; absent on SQLite",
  registers: [metricsRegistry],
  collect() {
    this.reset();
    const stats = pooledStats();
    if (stats !== null) this.set(stats.waiting);
  },
});

function pooledStats(): PoolStats | null {
  const pools = [...observedDatabases]
    .map((db) => db.poolStats?.() ?? null)
    .filter((stats): stats is PoolStats => stats !== null);
  if (pools.length === 0) return null;
  return {
    total: pools.reduce((sum, stats) => sum + stats.total, 0),
    idle: pools.reduce((sum, stats) => sum + stats.idle, 0),
    waiting: pools.reduce((sum, stats) => sum + stats.waiting, 0),
  };
}

const KNOWN_METHODS = new Set(METHODS);
/** The route label of a request no route matched (404): never its raw URL. */
export const UNMATCHED_ROUTE = "(unmatched)";

let defaultMetricsStarted = false;

export const serverMetrics = {
  /** One answered HTTP request; `route` is the route's pattern (/list/user/:name) or undefined. */
  httpRequest(method: string, route: string | undefined, status: number, seconds: number): void {
    const methodLabel = KNOWN_METHODS.has(method) ? method : "OTHER";
    const routeLabel = route ?? UNMATCHED_ROUTE;
    httpRequests.inc({ method: methodLabel, route: routeLabel, status: String(status) });
    httpDuration.observe({ method: methodLabel, route: routeLabel }, seconds);
  },

  login(endpoint: LoginEndpoint, outcome: LoginOutcome): void {
    logins.inc({ endpoint, outcome });
  },

  tokenIssued(kind: TokenKind): void {
    tokensIssued.inc({ kind });
  },

  /** `reason`: the verifier's (expired, bad_signature…), session_ended or missing_token. */
  verification(outcome: { accepted: true } | { accepted: false; reason: string }): void {
    if (outcome.accepted) verificationsAccepted.inc();
    else verificationsRefused.inc({ reason: outcome.reason });
  },

  /** Times `work` (a password hash or check) into the password histogram. */
  async timePassword<T>(
    operation: PasswordOperation,
    scheme: (result: T) => string,
    work: () => Promise<T>,
  ): Promise<T> {
    const started = process.hrtime.bigint();
    const result = await work();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    passwordSeconds.observe({ operation, scheme: scheme(result) }, seconds);
    return result;
  },

  /** Counters of one named cache, bound once (no label lookup per call on the hot path). */
  cache(name: string): { hit(): void; miss(): void } {
    const hits = cacheLookups.labels({ cache: name, result: "hit" } as LabelValues<
      "cache" | "result"
    >);
    const misses = cacheLookups.labels({ cache: name, result: "miss" } as LabelValues<
      "cache" | "result"
    >);
    return { hit: () => hits.inc(), miss: () => misses.inc() };
  },

  /** Reports the database's pool (and provider) until the returned function is called. */
  observeDatabase(db: ObservedDatabase): () => void {
    observedDatabases.add(db);
    return () => {
      observedDatabases.delete(db);
    };
  },

  /** Process metrics (CPU, memory, event loop lag, handles): from the first /metrics user on. */
  startProcessMetrics(): void {
    if (defaultMetricsStarted) return;
    defaultMetricsStarted = true;
    collectDefaultMetrics({ register: metricsRegistry, prefix: PREFIX });
  },

  contentType: metricsRegistry.contentType,

  /** The Prometheus text exposition of every metric. */
  text(): Promise<string> {
    return metricsRegistry.metrics();
  },
};

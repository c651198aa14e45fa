import type { ConnectionTimeouts } from "../config/index.js";
import type { TlsMaterial } from "../tls/index.js";

/**
 * The Fastify/Node options that close the connections of slow or stalled clients (settings
 * `[server] request_timeout`, `headers_timeout`, `keep_alive_timeout`, `idle_timeout`).
 */
export function connectionOptions(timeouts: ConnectionTimeouts) {
  return {
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Node's socket inactivity timeout (server.setTimeout).
    connectionTimeout: timeouts.idleMs,
    http: {
      headersTimeout: timeouts.headersMs,
      // Node enforces the request and headers timeouts only when it sweeps its connections,
      // every 30 s by default: a 10 s limit would then let a client stay up to 40 s. Sweep
      // often enough that a limit is kept to within about a fifth of itself (at most 1 s late).
      connectionsCheckingInterval: Math.min(
        1000,
        Math.max(50, Math.floor(Math.min(timeouts.headersMs, timeouts.requestMs) / 5)),
      ),
    },
  };
}

/**
 * Fastify hands `https` to https.createServer and then ignores `http`: with TLS the Node server
 * options (the headers timeout, the sweep interval) must travel inside `https`, or they are lost.
 */
export function serverTransportOptions(
  options: ReturnType<typeof connectionOptions>,
  tls: TlsMaterial | null | undefined,
) {
  if (!tls) return options;
  const { http, ...rest } = options;
  return { ...rest, https: { ...http, cert: tls.cert, key: tls.key } };
}

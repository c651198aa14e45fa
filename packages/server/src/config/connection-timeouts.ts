// `[server] request_timeout`, `headers_timeout`, `keep_alive_timeout`, `idle_timeout`: how long a
// client may take before the server closes its connection. Node and Fastify leave the request
// timeout at 0 (never), so one client that never finishes its body held a connection for good.

import { SETTING_DEFINITIONS, type SettingId } from "./setting-definitions.js";
import type { ValueSource } from "./setting-schemas.js";
import type { ConnectionTimeouts } from "./settings-types.js";

/**
 * Seconds. Every request this server serves is small (a login, a token, an admin change, at most
 * `body_limit`), so:
 * - request 30 s: the whole request, headers and body; a 1 MB body still gets through at ~35 KB/s.
 * - headers 10 s: a browser or SDK sends its headers in one packet; slowloris trickles them.
 * - keep-alive 65 s: TLS ends in a reverse proxy, which keeps upstream connections open for up to
 *   60 s (nginx, AWS ALB); the server must wait longer than the proxy, or the proxy may reuse a
 *   connection the server is closing and answer 502.
 * - idle 60 s: no byte either way while a request is being read or answered (a client that stops
 *   reading its response).
 */
export const CONNECTION_TIMEOUT_DEFAULTS = Object.freeze({
  requestTimeout: 30,
  headersTimeout: 10,
  keepAliveTimeout: 65,
  idleTimeout: 60,
});

export interface ConnectionTimeoutValues {
  requestTimeout?: number;
  headersTimeout?: number;
  keepAliveTimeout?: number;
  idleTimeout?: number;
}

export function resolveConnectionTimeouts(
  values: ConnectionTimeoutValues,
  sources: Partial<Record<SettingId, ValueSource>>,
): { timeouts: ConnectionTimeouts; problems: string[] } {
  const seconds = { ...CONNECTION_TIMEOUT_DEFAULTS, ...definedOnly(values) };
  const problems: string[] = [];
  // Node refuses a headers timeout longer than the request timeout (the headers are part of it).
  if (seconds.headersTimeout > seconds.requestTimeout) {
    const where = sources.headersTimeout?.describe ?? sources.requestTimeout?.describe;
    problems.push(
      `${where}: headers_timeout ${seconds.headersTimeout} is longer than request_timeout ${seconds.requestTimeout}; ${SETTING_DEFINITIONS.headersTimeout.fix}`,
    );
  }
  const ms = (value: number) => Math.round(value * 1000);
  return {
    timeouts: {
      requestMs: ms(seconds.requestTimeout),
      headersMs: ms(seconds.headersTimeout),
      keepAliveMs: ms(seconds.keepAliveTimeout),
      idleMs: ms(seconds.idleTimeout),
    },
    problems,
  };
}

function definedOnly(values: ConnectionTimeoutValues): ConnectionTimeoutValues {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

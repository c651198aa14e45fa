// Reading wrk's text report (pure; tested in tests/bench/harness.test.ts).

const UNIT_MS = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "812.00us", "1.23ms", "2.01s" → milliseconds. */
export function parseWrkDuration(text) {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(String(text).trim());
  if (!match) throw new Error(`bench: not a wrk duration: "${text}"`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

/**
 * The figures of one wrk run started with --latency: requests/s, p50 and p99 in ms, the number
 * of requests, of non-2xx/3xx answers and of socket errors (connect, read, write, timeout).
 */
export function parseWrkOutput(text) {
  const perSecond = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const total = /(\d+) requests in/.exec(text);
  if (!perSecond || !total) throw new Error(`bench: wrk printed no result:\n${text}`);
  const percentile = (p) => {
    const match = new RegExp(`^\\s+${p}%\\s+(\\S+)`, "m").exec(text);
    return match ? parseWrkDuration(match[1]) : Number.NaN;
  };
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(text);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  return {
    perSecond: Number(perSecond[1]),
    requests: Number(total[1]),
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    socketErrors: socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}

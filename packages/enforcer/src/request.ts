/**
 * The little the enforcer needs from an HTTP request, so the core works with Express, Fastify,
 * plain `node:http` or anything else. Header names are lower case, as Node delivers them.
 */
export interface RequestLike {
  method: string;
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The TCP peer address (`req.socket.remoteAddress`). */
  remoteAddress?: string | null;
}

/** The first value of a header; repeated headers arrive as arrays from some stacks. */
export function headerValue(req: RequestLike, name: string): string | undefined {
  const value = req.headers[name];
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  return value[0];
}

/** Methods a cross-site page can trigger without CORS consent never change state (RFC 9110 §9.2.1). */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Which proxies `clientAddress` believes (`EnforcerOptions.trustProxy`):
 * - `false` / `0`: none; the socket peer address.
 * - `true`: every hop, so the leftmost X-Forwarded-For entry (Express's and Fastify's `true`). Only
 *   safe when the proxy in front *replaces* the header: a proxy that appends to it leaves the
 *   leftmost entry to the client, who can then claim any address.
 * - `n` (a whole number): the `n` hops closest to the service are trusted proxies, so the address is
 *   the n-th entry from the right, the one the outermost trusted proxy appended (Express's numeric
 *   "trust proxy"). With fewer entries than that, the leftmost one.
 */
export type TrustProxy = boolean | number;

/** X-Forwarded-For is only believed behind proxies the operator vouches for (`trustProxy`). */
export function clientAddress(req: RequestLike, trustProxy: TrustProxy): string | null {
  const socket = req.remoteAddress ?? null;
  if (trustProxy === false || trustProxy === 0) return socket;
  const raw = req.headers["x-forwarded-for"];
  // Repeated headers are one comma-separated list (RFC 9110 §5.3); Node already joins them.
  const joined = typeof raw === "string" ? raw : raw?.join(",");
  const hops = (joined ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (hops.length === 0) return socket;
  if (trustProxy === true) return hops[0]!;
  // The socket peer is the first trusted hop; each further trusted hop vouches for one entry.
  return hops[Math.max(0, hops.length - trustProxy)]!;
}

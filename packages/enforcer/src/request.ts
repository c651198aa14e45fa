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

/** X-Forwarded-For is only believed behind a proxy the operator vouches for (`trustProxy`). */
export function clientAddress(req: RequestLike, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = headerValue(req, "x-forwarded-for");
    const first = forwarded?.split(",")[0]?.trim();
    if (first) return first;
  }
  return req.remoteAddress ?? null;
}

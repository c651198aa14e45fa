/**
 * The little the enforcer needs from an HTTP request, so the core works with Express, Fastify,
 * plain `node:http` or anything else. Header names are lower case, as Node delivers them.
 */
export interface RequestLike {
  method: string;
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /**
   * The caller's address as the web framework determined it under its own trust-proxy setting
   * (Express `req.ip`, Fastify `request.ip`); the adapters fill it in. Without a framework, the
   * socket peer address (`req.socket.remoteAddress`), or what your proxy handling decided.
   */
  clientAddress?: string | null;
  /** @deprecated Read only when `clientAddress` is absent; give `clientAddress` instead. */
  remoteAddress?: string | null;
  /**
   * The matched route's parameters (Express `req.params`, Fastify `request.params`; the adapters
   * fill them in), for ACL conditions such as `org: {param: org}`.
   */
  params?: Readonly<Record<string, unknown>>;
}

/** The first value of a header; repeated headers arrive as arrays from some stacks. */
export function headerValue(req: RequestLike, name: string): string | undefined {
  const value = req.headers[name];
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  return value[0];
}

/**
 * The address `wfc.clientAddress` reports. X-Forwarded-For is never read here: which proxies may
 * speak for the client is the framework's trust-proxy setting, decided in one place per service.
 */
export function requestClientAddress(req: RequestLike): string | null {
  return req.clientAddress ?? req.remoteAddress ?? null;
}

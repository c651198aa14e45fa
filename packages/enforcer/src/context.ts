import { randomUUID } from "node:crypto";
import type { TokenUser } from "./claims.js";
import { type RequestLike, requestClientAddress } from "./request.js";
import type { TokenSource } from "./token-source.js";

/**
 * What a protected handler receives as `wfc` (reference §6.5, the `tlcnew` shape in camelCase):
 * the token's work function context plus who is calling and per-request facts. A new object is
 * built for every request — the original shared one across threads, so concurrent requests could
 * read each other's context.
 */
export interface WorkFunctionContext {
  /** The wfc's fields are null when the user has no work function context. */
  id: number | string | null;
  name: string | null;
  org: string | null;
  orgunit: string | null;
  department: string | null;
  username: string | null;
  email: string | null;
  roles: string[];
  /** A random UUID for correlating logs of this request. */
  requestId: string;
  /** When the enforcer admitted the request, ISO 8601 UTC. */
  timestamp: string;
  /** The caller's address as the web framework determined it under its trust-proxy setting. */
  clientAddress: string | null;
}

/** Everything the enforcer learnt about an admitted request (`req.tokenleader`). */
export interface TokenleaderContext {
  wfc: WorkFunctionContext;
  user: TokenUser;
  /** The verified token payload as issued. */
  claims: Record<string, unknown>;
  rule: string;
  /** The role that granted the rule (a super-role or an ACL entry). */
  grantedByRole: string;
  tokenSource: TokenSource;
}

export function buildContext(args: {
  req: RequestLike;
  user: TokenUser;
  claims: Record<string, unknown>;
  rule: string;
  grantedByRole: string;
  tokenSource: TokenSource;
}): TokenleaderContext {
  const { user } = args;
  const wfc: WorkFunctionContext = {
    id: user.wfc?.id ?? null,
    name: user.wfc?.name ?? null,
    org: user.wfc?.org ?? null,
    orgunit: user.wfc?.orgunit ?? null,
    department: user.wfc?.department ?? null,
    username: user.username,
    email: user.email,
    roles: [...user.roles],
    requestId: randomUUID(),
    timestamp: isoTimestamp(Date.now()),
    clientAddress: requestClientAddress(args.req),
  };
  return {
    wfc,
    user,
    claims: args.claims,
    rule: args.rule,
    grantedByRole: args.grantedByRole,
    tokenSource: args.tokenSource,
  };
}

let isoSecond = Number.NaN;
let isoPrefix = "";

/**
 * `new Date(ms).toISOString()`, with the part up to the seconds formatted once per second:
 * formatting the whole date was most of the cost of building an admitted request's context.
 */
export function isoTimestamp(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    // "…T12:34:56.000Z" without "000Z" (years beyond 9999 have a longer prefix, same ending).
    isoPrefix = new Date(second * 1000).toISOString().slice(0, -4);
    isoSecond = second;
  }
  const millis = ms - second * 1000;
  return `${isoPrefix}${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
}

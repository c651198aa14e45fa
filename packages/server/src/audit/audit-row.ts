// Turning an event into a row of audit_event. Details are kept small and can never carry a
// secret: keys that name one are dropped, and anything shaped like a JWT is cut to a marker, so
// a careless caller still cannot write a password or a whole token into the trail.
import type { Prisma } from "../db/prisma-client.js";
import type { AuditDetails, AuditEventInput } from "./audit-events.js";

const MAX_TEXT = 256;
const MAX_DETAILS_JSON = 2048;
const SECRET_KEY = /pass|secret|token|hash|cookie|authorization/i;
const JWT_SHAPE = /eyJ[\w-]*\.[\w-]+\.?[\w-]*/g;

function clean(text: string): string {
  return text.replace(JWT_SHAPE, "[token]").slice(0, MAX_TEXT);
}

function cleanDetails(details: AuditDetails | undefined): string | null {
  if (details === undefined) return null;
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (SECRET_KEY.test(key)) continue;
    if (typeof value === "string") kept[key] = clean(value);
    else if (Array.isArray(value)) kept[key] = value.slice(0, 50).map((item) => clean(item));
    else kept[key] = value;
  }
  const json = JSON.stringify(kept);
  return json.length <= MAX_DETAILS_JSON ? json : JSON.stringify({ truncated: true });
}

export function toAuditRow(event: AuditEventInput): Prisma.AuditEventCreateManyInput {
  const text = (value: string | null | undefined) => (value == null ? null : clean(value));
  return {
    eventType: event.type,
    outcome: event.outcome,
    actor: text(event.actor),
    target: text(event.target),
    sourceAddress: text(event.sourceAddress),
    details: cleanDetails(event.details),
  };
}

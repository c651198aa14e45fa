import type { AuditEventRecord } from "../../../audit/index.js";
import { formatTable } from "../../shared/table.js";
import { type AdminopsCommand, UsageError } from "../command-module.js";

/**
 * `audit [--user U] [--since T] [--limit N]`: the newest events of the audit trail, oldest first
 * (the newest line is the last, next to the prompt). Values are printed escaped, as the log
 * prints them; --json gives them as stored.
 */
export const auditCommand: AdminopsCommand = {
  command: "audit",
  describe: "show the audit trail (logins, tokens, sessions, admin changes, keys)",
  builder: (yargs) =>
    yargs
      .option("user", {
        alias: "u",
        type: "string",
        describe: "only events where this user is the actor or the target",
      })
      .option("since", {
        type: "string",
        describe:
          "only events from this time on: an ISO date/date-time or a duration (30m, 24h, 7d)",
      })
      .option("limit", {
        type: "number",
        default: 100,
        describe: "show at most this many (the newest)",
      })
      .example("$0 audit --user alice --since 24h", "what happened to alice's account today")
      .example("$0 audit --since 2026-12-01 --json", "for scripts"),
  async run(argv, ctx) {
    const { listAuditEvents, parseSince } = await import("../../../audit/index.js");
    const since = argv.since === undefined ? undefined : parseSince(String(argv.since));
    if (since === null) {
      throw new UsageError(
        `--since ${argv.since}: give an ISO date or date-time (2026-12-01, 2026-12-01T08:00:00Z) or a duration such as 30m, 24h or 7d`,
      );
    }
    const limit = Number(argv.limit);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new UsageError(`--limit ${argv.limit}: give a whole number of 1 or more`);
    }
    const events = await listAuditEvents(await ctx.database(), {
      ...(argv.user !== undefined ? { user: String(argv.user) } : {}),
      ...(since !== undefined ? { since } : {}),
      limit,
    });
    ctx.print(() => auditTable(events), events.map(auditEventToJson));
    return 0;
  },
};

function auditEventToJson(event: AuditEventRecord) {
  return {
    id: event.id,
    time: event.time.toISOString(),
    type: event.type,
    outcome: event.outcome,
    actor: event.actor,
    target: event.target,
    source_address: event.sourceAddress,
    details: event.details,
  };
}

function auditTable(events: readonly AuditEventRecord[]): string {
  if (events.length === 0) return "no audit events match\n";
  return formatTable(
    ["TIME", "EVENT", "OUTCOME", "ACTOR", "TARGET", "SOURCE", "DETAILS"],
    events.map((event) => [
      event.time.toISOString(),
      event.type,
      event.outcome,
      event.actor ?? "-",
      event.target ?? "-",
      event.sourceAddress ?? "-",
      event.details === null ? "" : describeDetails(event.details),
    ]),
  );
}

/** `jti=… reason=wrong_password`: compact, and escaped cell by cell by the table. */
function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join(",") : String(value)}`)
    .join(" ");
}

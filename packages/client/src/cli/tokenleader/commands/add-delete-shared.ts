import type { AdminResponse } from "../../../client/responses.js";
import { ClientError, oneLineText } from "../../../errors.js";
import {
  type GlobalFlags,
  outputMode,
  printJson,
  printLine,
  UsageError,
} from "../../shared/output.js";

// What `tokenleader add` and `tokenleader delete` share: the entity names (those of adminops) and
// turning the server's refusals into one line that says what was refused and why.

export const ADMIN_ENTITIES = ["org", "ou", "dept", "role", "wfc", "user", "service"] as const;
export type AdminEntity = (typeof ADMIN_ENTITIES)[number];

/** Spellings people use for the same thing (the list command accepts them too). */
const ENTITY_ALIASES: Record<string, AdminEntity> = {
  users: "user",
  services: "service",
  orgunit: "ou",
  department: "dept",
  roles: "role",
};

export function resolveAdminEntity(verb: "add" | "delete", given: unknown): AdminEntity {
  const value = Array.isArray(given) ? given.at(-1) : given;
  if (typeof value !== "string" || value === "") {
    throw new UsageError(`say what to ${verb}: tokenleader ${verb} <${ADMIN_ENTITIES.join("|")}>`);
  }
  const lower = value.toLowerCase();
  const entity = (ADMIN_ENTITIES as readonly string[]).includes(lower)
    ? (lower as AdminEntity)
    : ENTITY_ALIASES[lower];
  if (!entity) {
    throw new UsageError(`unknown entity "${value}": use one of ${ADMIN_ENTITIES.join(", ")}`);
  }
  return entity;
}

/** `-n NAME`: yargs gives an array when the flag is repeated; the last one wins. */
export function requireName(
  verb: "add" | "delete" | "update" | "revoke",
  entity: AdminEntity,
  given: unknown,
): string {
  const value = Array.isArray(given) ? given.at(-1) : given;
  if (typeof value !== "string" || value.trim() === "") {
    throw new UsageError(`${verb} ${entity} needs a name: -n NAME`);
  }
  return value;
}

interface RefusalBody {
  message?: unknown;
  reason?: unknown;
  code?: unknown;
}

/**
 * The server's 4xx answers, rewritten for people: a 403 becomes "forbidden: user "u" may not …"
 * with the enforcer's reason; other refusals (duplicate, unknown name, still referenced, bad
 * input) carry the server's `message` and stable `code`. The ClientError code is kept for scripts.
 */
export function explainRefusal(err: unknown, action: string, username: string | null): unknown {
  if (!(err instanceof ClientError) || err.httpStatus === undefined) return err;
  const status = err.httpStatus;
  if (status < 400 || status >= 500 || status === 401) return err;
  const body = (typeof err.body === "object" && err.body !== null ? err.body : {}) as RefusalBody;
  const serverDetails = { serverCode: err.serverCode, reason: err.reason };
  if (status === 403) {
    const why = oneLineText(body.reason) ?? oneLineText(body.message);
    const who = username ? `user "${username}"` : "this user";
    return new ClientError(
      err.code,
      `forbidden: ${who} may not ${action} (HTTP 403${why ? `: ${why}` : ""})`,
      { cause: err, httpStatus: status, body: err.body, ...serverDetails },
    );
  }
  const message = oneLineText(body.message);
  if (!message) return err;
  const code = oneLineText(body.code);
  return new ClientError(
    err.code,
    `cannot ${action}: ${message} (HTTP ${status}${code ? ` ${code}` : ""})`,
    { cause: err, httpStatus: status, body: err.body, ...serverDetails },
  );
}

/** Readable: the server's sentence ("org1 has been registered."); --json/--compat: its body. */
export function printAdminResult(flags: GlobalFlags, response: AdminResponse): void {
  if (outputMode(flags) !== "readable") {
    printJson(response);
    return;
  }
  const { status } = response;
  printLine(typeof status === "string" ? status.trim() : JSON.stringify(status));
}

import type { Argv } from "yargs";
import type { Client } from "../../../client/client.js";
import { isNotFoundStatus } from "../../../client/responses.js";
import { loadClient } from "../../shared/load-client.js";
import {
  formatRecord,
  formatTable,
  type GlobalFlags,
  outputMode,
  printJson,
  printLine,
  UsageError,
} from "../../shared/output.js";

export const LIST_ENTITIES = ["user", "org", "ou", "dept", "role", "wfc", "service"] as const;
export type ListEntity = (typeof LIST_ENTITIES)[number];

const ALIASES: Record<string, ListEntity> = {
  users: "user",
  services: "service",
  orgunit: "ou",
  department: "dept",
  roles: "role",
};

export interface ListFlags extends GlobalFlags {
  /** `list <entity>` (client 0.9 form). */
  ENTITY?: string;
  /** `list -e <entity>` (client master form); yargs gives an array when repeated. */
  entity?: string | string[];
  name?: string;
}

export function listBuilder(y: Argv): Argv<ListFlags> {
  return (
    y
      // Two keys, so that naming two different entities (`list user -e org`) can be refused:
      // with one key yargs would silently keep the positional.
      .positional("ENTITY", {
        type: "string",
        describe: `what to list: ${LIST_ENTITIES.join("|")}`,
      })
      .option("entity", {
        alias: "e",
        type: "string",
        describe: "what to list, as an option (the original client's -e form)",
      })
      .option("name", {
        alias: "n",
        type: "string",
        describe: "show only the record with this name",
      })
      .example("tokenleader list user", "all users")
      .example("tokenleader list -e org -n org1", "one organisation") as Argv<ListFlags>
  );
}

/**
 * The entity of `list <entity>` or `list -e <entity>`. Naming two different entities (positional
 * and -e, or -e twice) is a usage error rather than a guess; the same one twice is fine.
 */
export function resolveEntity(flags: ListFlags): ListEntity {
  const options = Array.isArray(flags.entity) ? flags.entity : [flags.entity];
  const given = [flags.ENTITY, ...options].filter(
    (value): value is string => typeof value === "string" && value !== "",
  );
  if (given.length === 0)
    throw new UsageError(`say what to list: tokenleader list <${LIST_ENTITIES.join("|")}>`);
  const resolved = given.map((value) => {
    const lower = value.toLowerCase();
    const entity = (LIST_ENTITIES as readonly string[]).includes(lower)
      ? (lower as ListEntity)
      : ALIASES[lower];
    if (!entity)
      throw new UsageError(`unknown entity "${value}": use one of ${LIST_ENTITIES.join(", ")}`);
    return entity;
  });
  const distinct = [...new Set(resolved)];
  if (distinct.length > 1) {
    const named = given.map((value) => `"${value}"`).join(" and ");
    throw new UsageError(
      `conflicting entities ${named}: name one, as "list <entity>" or "list -e <entity>"`,
    );
  }
  return distinct[0]!;
}

const LISTERS: Record<ListEntity, (c: Client) => Promise<{ status: unknown }>> = {
  user: (c) => c.listUsers(),
  org: (c) => c.listOrg(),
  ou: (c) => c.listOrgUnits(),
  dept: (c) => c.listDept(),
  role: (c) => c.listRoles(),
  wfc: (c) => c.listWfc(),
  service: (c) => c.listServices(),
};

async function fetchEntity(
  client: Client,
  entity: ListEntity,
  name?: string,
): Promise<{ status: unknown }> {
  if (name === undefined) return LISTERS[entity](client);
  if (entity === "user") return client.getUser(name);
  if (entity === "service") return client.getService(name);
  // No by-name route for these in the original API: filter the list.
  const { status } = await LISTERS[entity](client);
  const items = Array.isArray(status) ? status : [status];
  const match = items.find(
    (item) =>
      typeof item === "object" && item !== null && (item as { name?: unknown }).name === name,
  );
  return { status: match ?? { error: "No such record is found" } };
}

/** `tokenleader list <entity> [-n NAME]` and `tokenleader list -e <entity> [-n NAME]`. */
export async function runList(flags: ListFlags): Promise<number> {
  const entity = resolveEntity(flags);
  const client = loadClient({ config: flags.config, timeout: flags.timeout });
  try {
    const body = await fetchEntity(client, entity, flags.name);
    const mode = outputMode(flags);
    const notFound = isNotFoundStatus(body.status);
    if (mode !== "readable") printJson(body);
    else if (!notFound) printReadable(body.status);
    if (notFound) {
      // The original server's "not found" is a 200 body; say it like a 404 of this server.
      const detail = String(Object.values(body.status as object)[0]);
      const what = flags.name === undefined ? entity : `${entity} "${flags.name}"`;
      process.stderr.write(`tokenleader: [NOT_FOUND] ${what}: ${detail}\n`);
      return 1;
    }
    return 0;
  } finally {
    await client.close();
  }
}

function printReadable(status: unknown): void {
  if (Array.isArray(status)) {
    printLine(
      formatTable(
        status.map(
          (r) =>
            (typeof r === "object" && r !== null ? r : { value: r }) as Record<string, unknown>,
        ),
      ),
    );
  } else if (typeof status === "object" && status !== null) {
    printLine(formatRecord(status as Record<string, unknown>));
  } else {
    printLine(String(status));
  }
}

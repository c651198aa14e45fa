import type { Argv } from "yargs";
import type { Client } from "../../../client/client.js";
import type { AdminResponse } from "../../../client/responses.js";
import { loadClient } from "../../shared/load-client.js";
import type { GlobalFlags } from "../../shared/output.js";
import {
  ADMIN_ENTITIES,
  type AdminEntity,
  explainRefusal,
  printAdminResult,
  requireName,
  resolveAdminEntity,
} from "./add-delete-shared.js";

export interface DeleteFlags extends GlobalFlags {
  entity?: string;
  name?: string;
}

export function deleteBuilder(y: Argv): Argv<DeleteFlags> {
  return y
    .positional("entity", {
      type: "string",
      describe: `what to delete: ${ADMIN_ENTITIES.join("|")}`,
    })
    .option("name", { alias: "n", type: "string", describe: "its name (required)" })
    .example("tokenleader delete user -n user1", "")
    .example(
      "tokenleader delete org -n org1 --json",
      "refused (HTTP 409) while a wfc still uses org1",
    ) as Argv<DeleteFlags>;
}

/** The Client call per entity, with the request keys of the server's JSON API (reference §3.6). */
const DELETERS: Record<AdminEntity, (c: Client, name: string) => Promise<AdminResponse>> = {
  org: (c, name) => c.deleteOrg({ oname: name }),
  ou: (c, name) => c.deleteOrgUnit({ ouname: name }),
  dept: (c, name) => c.deleteDept({ deptname: name }),
  role: (c, name) => c.deleteRole({ rolename: name }),
  wfc: (c, name) => c.deleteWfc({ wfcname: name }),
  user: (c, name) => c.deleteUser({ username: name }),
  service: (c, name) => c.deleteService({ name }),
};

/** One deletion: the entity, its name, and the Client call that sends it. */
export interface DeleteCall {
  entity: AdminEntity;
  name: string;
  send(client: Client): Promise<AdminResponse>;
}

/** Checks the flags of `delete <entity> -n NAME` (before anything is loaded or sent). */
export function buildDeleteCall(flags: DeleteFlags): DeleteCall {
  const entity = resolveAdminEntity("delete", flags.entity);
  const name = requireName("delete", entity, flags.name);
  return { entity, name, send: (client) => DELETERS[entity](client, name) };
}

/**
 * `tokenleader delete org|ou|dept|role|wfc|user|service -n NAME`. No confirmation prompt: this is
 * the scripting interface; the server refuses to delete what is still referenced.
 */
export async function runDelete(flags: DeleteFlags): Promise<number> {
  const call = buildDeleteCall(flags);
  const client = loadClient({ config: flags.config, timeout: flags.timeout });
  try {
    const response = await call.send(client).catch((err: unknown) => {
      throw explainRefusal(err, `delete ${call.entity} "${call.name}"`, client.configs.tlUser);
    });
    printAdminResult(flags, response);
    return 0;
  } finally {
    await client.close();
  }
}

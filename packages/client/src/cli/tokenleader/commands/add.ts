import type { Argv } from "yargs";
import type { Client } from "../../../client/client.js";
import type { AdminResponse } from "../../../client/responses.js";
import { loadClient } from "../../shared/load-client.js";
import { type GlobalFlags, UsageError } from "../../shared/output.js";
import {
  ADMIN_ENTITIES,
  type AdminEntity,
  explainRefusal,
  printAdminResult,
  requireName,
  resolveAdminEntity,
} from "./add-delete-shared.js";
import { readUserPassword, single } from "./user-password.js";

export interface AddFlags extends GlobalFlags {
  entity?: string;
  name?: string;
  wfcorg?: string;
  wfcou?: string;
  wfcdept?: string;
  password?: string;
  passwordStdin?: boolean;
  emailid?: string;
  rolenames?: string;
  wfc?: string;
  urlint?: string;
  urlext?: string;
  urladmin?: string;
}

/** The entity-specific flags (as adminops names them) and which entity each belongs to. */
const ENTITY_OPTIONS = {
  wfcorg: "wfc",
  wfcou: "wfc",
  wfcdept: "wfc",
  password: "user",
  passwordStdin: "user",
  emailid: "user",
  rolenames: "user",
  wfc: "user",
  urlint: "service",
  urlext: "service",
  urladmin: "service",
} as const satisfies Partial<Record<keyof AddFlags, AdminEntity>>;

const FLAG_NAMES: Record<keyof typeof ENTITY_OPTIONS, string> = {
  wfcorg: "--wfcorg",
  wfcou: "--wfcou",
  wfcdept: "--wfcdept",
  password: "--password",
  passwordStdin: "--password-stdin",
  emailid: "--emailid",
  rolenames: "--rolenames",
  wfc: "--wfc",
  urlint: "--urlint",
  urlext: "--urlext",
  urladmin: "--urladmin",
};

export function addBuilder(y: Argv): Argv<AddFlags> {
  return y
    .positional("entity", {
      type: "string",
      describe: `what to register: ${ADMIN_ENTITIES.join("|")}`,
    })
    .option("name", { alias: "n", type: "string", describe: "its name (required)" })
    .option("wfcorg", { type: "string", describe: "wfc: organization name" })
    .option("wfcou", { type: "string", describe: "wfc: org unit name" })
    .option("wfcdept", { type: "string", describe: "wfc: department name" })
    .option("password", {
      type: "string",
      describe: "user: password (visible in the process list; prefer --password-stdin)",
    })
    .option("password-stdin", {
      type: "boolean",
      describe: "user: read the password from standard input",
    })
    .option("emailid", { type: "string", describe: "user: e-mail address (optional, unique)" })
    .option("rolenames", {
      type: "string",
      describe: "user: comma-separated role names, e.g. role1,role2 (all must exist)",
    })
    .option("wfc", { type: "string", describe: "user: work function context name" })
    .option("urlint", { type: "string", describe: "service: internal endpoint URL" })
    .option("urlext", { type: "string", describe: "service: external endpoint URL" })
    .option("urladmin", { type: "string", describe: "service: admin endpoint URL" })
    .example("tokenleader add org -n org1", "")
    .example("tokenleader add wfc -n wfc1 --wfcorg org1 --wfcou ou1 --wfcdept dept1", "")
    .example(
      'printf %s "$PW" | tokenleader add user -n user1 --password-stdin --rolenames role1 --wfc wfc1',
      "",
    )
    .example("tokenleader add service -n svc1 --urlint http://svc1:8080", "") as Argv<AddFlags>;
}

function required(entity: AdminEntity, flags: AddFlags, key: keyof typeof FLAG_NAMES): string {
  const value = single(flags[key]);
  if (value === undefined || value.trim() === "") {
    throw new UsageError(`add ${entity} needs ${FLAG_NAMES[key]}`);
  }
  return value;
}

/** Refuses flags meant for another entity, so a typo does not silently register less than asked. */
function rejectForeignFlags(entity: AdminEntity, flags: AddFlags): void {
  for (const [key, owner] of Object.entries(ENTITY_OPTIONS)) {
    const value = flags[key as keyof AddFlags];
    if (owner !== entity && value !== undefined && value !== false) {
      throw new UsageError(
        `${FLAG_NAMES[key as keyof typeof FLAG_NAMES]} does not apply to "add ${entity}" (it is for add ${owner})`,
      );
    }
  }
}

/** Splits `--rolenames r1,r2` as adminops does: spaces trimmed, empty entries dropped. */
export function splitRoleNames(value: string | undefined): string[] {
  return (value ?? "")
    .split(",")
    .map((role) => role.trim())
    .filter((role) => role !== "");
}

/** One registration: the entity, its name, and the Client call that sends it. */
export interface AddCall {
  entity: AdminEntity;
  name: string;
  send(client: Client): Promise<AdminResponse>;
}

/**
 * Checks the flags for `add <entity>` and builds the call (the request keys of the server's JSON
 * API, reference §3.6). `readPassword` is only called for users, after every flag was checked.
 */
export async function buildAddCall(
  flags: AddFlags,
  readPassword: (flags: AddFlags, username: string) => Promise<string>,
): Promise<AddCall> {
  const entity = resolveAdminEntity("add", flags.entity);
  const name = requireName("add", entity, flags.name);
  rejectForeignFlags(entity, flags);
  switch (entity) {
    case "org":
      return { entity, name, send: (c) => c.addOrg({ oname: name }) };
    case "ou":
      return { entity, name, send: (c) => c.addOrgUnit({ ouname: name }) };
    case "dept":
      return { entity, name, send: (c) => c.addDept({ deptname: name }) };
    case "role":
      return { entity, name, send: (c) => c.addRole({ rolename: name }) };
    case "wfc": {
      const body = {
        fname: name,
        orgname: required(entity, flags, "wfcorg"),
        ou_name: required(entity, flags, "wfcou"),
        dept_name: required(entity, flags, "wfcdept"),
      };
      return { entity, name, send: (c) => c.addWfc(body) };
    }
    case "user": {
      const wfc = required(entity, flags, "wfc");
      const roles = splitRoleNames(single(flags.rolenames));
      const email = single(flags.emailid);
      const password = await readPassword(flags, name);
      const body = { username: name, password, wfc, roles, ...(email ? { email } : {}) };
      return { entity, name, send: (c) => c.addUser(body) };
    }
    case "service": {
      const urlext = single(flags.urlext);
      const urladmin = single(flags.urladmin);
      const body = {
        name,
        urlint: required(entity, flags, "urlint"),
        ...(urlext !== undefined ? { urlext } : {}),
        ...(urladmin !== undefined ? { urladmin } : {}),
      };
      return { entity, name, send: (c) => c.addService(body) };
    }
  }
}

/** The new user's password: --password, --password-stdin, or asked twice on a terminal. */
export function readNewUserPassword(flags: AddFlags, username: string): Promise<string> {
  return readUserPassword(flags, {
    prompt: `Password for ${username}: `,
    nothingDone: "nothing was registered",
    noPassword: `no password for user "${username}": use --password-stdin (printf %s "$PW" | tokenleader add user … --password-stdin) or run in a terminal to be prompted`,
  });
}

/** `tokenleader add org|ou|dept|role|wfc|user|service -n NAME …` (as an administrator). */
export async function runAdd(flags: AddFlags): Promise<number> {
  // Every flag is checked (and the password read) before the config is loaded or a login made.
  const call = await buildAddCall(flags, readNewUserPassword);
  const client = loadClient({ config: flags.config, timeout: flags.timeout });
  try {
    const response = await call.send(client).catch((err: unknown) => {
      throw explainRefusal(err, `add ${call.entity} "${call.name}"`, client.configs.tlUser);
    });
    printAdminResult(flags, response);
    return 0;
  } finally {
    await client.close();
  }
}

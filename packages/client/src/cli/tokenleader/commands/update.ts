import type { Argv } from "yargs";
import type { Client } from "../../../client/client.js";
import type { AdminResponse, UserRecord } from "../../../client/responses.js";
import { type GlobalFlags, outputMode, printJson, printLine } from "../../shared/output.js";
import { splitRoleNames } from "./add.js";
import { requireName } from "./add-delete-shared.js";
import { requireUserEntity, runUserAdminCall } from "./user-admin-call.js";
import {
  checkPasswordFlags,
  passwordFlagGiven,
  readUserPassword,
  single,
} from "./user-password.js";

// `tokenleader update user`: POST /update/user, a new password and/or role list for an existing
// user (the server's `adminops passwd` / `adminops setroles`). Only users can be updated.

export interface UpdateFlags extends GlobalFlags {
  entity?: string;
  name?: string;
  roles?: string;
  password?: string;
  passwordStdin?: boolean;
}

const USAGE = 'tokenleader update user -n NAME [--roles r1,r2 | --roles ""] [--password-stdin]';

export function updateBuilder(y: Argv): Argv<UpdateFlags> {
  return y
    .positional("entity", { type: "string", describe: "what to update: user" })
    .option("name", { alias: "n", type: "string", describe: "the user's name (required)" })
    .option("roles", {
      alias: "rolenames",
      type: "string",
      requiresArg: true,
      describe:
        'the complete new list of role names, comma-separated, all existing (replaces the old list); "" removes every role',
    })
    .option("password", {
      type: "string",
      describe: "new password (visible in the process list; prefer --password-stdin)",
    })
    .option("password-stdin", {
      type: "boolean",
      describe: "read the new password from standard input",
    })
    .epilogue(
      "Give --roles, a new password, or both. Without --roles and without a password flag, the new password is asked twice when run in a terminal. Either change ends the user's login sessions and makes their earlier tokens invalid.",
    )
    .example(
      'printf %s "$PW" | tokenleader update user -n user1 --password-stdin',
      "set a new password",
    )
    .example("tokenleader update user -n user1", "prompts for the new password twice")
    .example("tokenleader update user -n user1 --roles role1,role2 --json", "replace the roles")
    .example(
      'tokenleader update user -n user1 --roles ""',
      "remove every role",
    ) as Argv<UpdateFlags>;
}

/** One update: the user's name, what changes, and the Client call that sends it. */
export interface UpdateCall {
  name: string;
  passwordChanged: boolean;
  rolesChanged: boolean;
  send(client: Client): Promise<AdminResponse<UserRecord>>;
}

/**
 * Checks the flags of `update user` and builds the call. `readPassword` is called, after every
 * flag was checked, when a password flag is given or when there is no --roles (then it asks on a
 * terminal, or refuses: there would be nothing to change).
 */
export async function buildUpdateCall(
  flags: UpdateFlags,
  readPassword: (flags: UpdateFlags, username: string) => Promise<string>,
): Promise<UpdateCall> {
  requireUserEntity(flags.entity, {
    missing: `say what to update: ${USAGE}`,
    notUser: (value) => `only users can be updated ("${value}" cannot): ${USAGE}`,
  });
  const name = requireName("update", "user", flags.name);
  checkPasswordFlags(flags);
  const rolesFlag = single(flags.roles);
  const roles = rolesFlag === undefined ? undefined : splitRoleNames(rolesFlag);
  const password =
    passwordFlagGiven(flags) || roles === undefined ? await readPassword(flags, name) : undefined;
  const body = {
    username: name,
    ...(password === undefined ? {} : { password }),
    ...(roles === undefined ? {} : { roles }),
  };
  return {
    name,
    passwordChanged: password !== undefined,
    rolesChanged: roles !== undefined,
    send: (client) => client.updateUser(body),
  };
}

/** The new password: --password, --password-stdin, or asked twice on a terminal. */
export function readChangedPassword(flags: UpdateFlags, username: string): Promise<string> {
  return readUserPassword(flags, {
    prompt: `New password for ${username}: `,
    nothingDone: "nothing was changed",
    noPassword: `nothing to change for user "${username}": give --roles r1,r2 (--roles "" for none) and/or a new password with --password-stdin, or run in a terminal to be prompted`,
  });
}

/** Readable: what changed, with the roles the server now holds; --json/--compat: its body. */
function printUpdateResult(
  flags: GlobalFlags,
  call: UpdateCall,
  response: AdminResponse<UserRecord>,
): void {
  if (outputMode(flags) !== "readable") {
    printJson(response);
    return;
  }
  const user = response.status;
  const username = typeof user?.username === "string" ? user.username : call.name;
  const changes: string[] = [];
  if (call.passwordChanged) changes.push(`password of ${username} changed`);
  if (call.rolesChanged) {
    const roles = Array.isArray(user?.roles) ? user.roles.join(", ") : "";
    changes.push(`roles of ${username}: ${roles || "(none)"}`);
  }
  printLine(`${changes.join("; ")}; their login sessions and earlier tokens have ended.`);
}

/** `tokenleader update user -n NAME [--roles r1,r2] [--password-stdin]` (as an administrator). */
export async function runUpdate(flags: UpdateFlags): Promise<number> {
  // Every flag is checked (and the password read) before the config is loaded or a login made.
  const call = await buildUpdateCall(flags, readChangedPassword);
  return runUserAdminCall(flags, `update user "${call.name}"`, call.send, (response) =>
    printUpdateResult(flags, call, response),
  );
}

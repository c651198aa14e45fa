import type { Argv } from "yargs";
import type { Client } from "../../../client/client.js";
import type { AdminResponse, UserRecord } from "../../../client/responses.js";
import { type GlobalFlags, outputMode, printJson, printLine } from "../../shared/output.js";
import { requireName } from "./add-delete-shared.js";
import { requireUserEntity, runUserAdminCall } from "./user-admin-call.js";

// `tokenleader revoke user`: POST /revoke/user, "log out everywhere" (the server's
// `adminops revoke`). Ends the user's login sessions and makes every token issued to them so far
// invalid at the server; the password and roles stay. Only users can be revoked.

export interface RevokeFlags extends GlobalFlags {
  entity?: string;
  name?: string;
}

const USAGE = "tokenleader revoke user -n NAME";

export function revokeBuilder(y: Argv): Argv<RevokeFlags> {
  return y
    .positional("entity", { type: "string", describe: "whose tokens to revoke: user" })
    .option("name", { alias: "n", type: "string", describe: "the user's name (required)" })
    .epilogue(
      "Log out everywhere (a leaked token, a lost laptop): ends the user's login sessions and makes every token issued to them so far invalid at the server. Nothing else changes: the user logs in again with the same password and roles.",
    )
    .example("tokenleader revoke user -n user1", "user1 must log in again")
    .example(
      "tokenleader revoke user -n user1 --json",
      "prints the server's answer",
    ) as Argv<RevokeFlags>;
}

/** One revocation: the user's name and the Client call that sends it. */
export interface RevokeCall {
  name: string;
  send(client: Client): Promise<AdminResponse<UserRecord>>;
}

/** Checks the flags of `revoke user -n NAME` (before anything is loaded or sent). */
export function buildRevokeCall(flags: RevokeFlags): RevokeCall {
  requireUserEntity(flags.entity, {
    missing: `say whose tokens to revoke: ${USAGE}`,
    notUser: (value) => `only a user's tokens can be revoked ("${value}" cannot): ${USAGE}`,
  });
  const name = requireName("revoke", "user", flags.name);
  return { name, send: (client) => client.revokeUser(name) };
}

/** Readable: one line saying what ended; --json/--compat: the server's body. */
function printRevokeResult(
  flags: GlobalFlags,
  call: RevokeCall,
  response: AdminResponse<UserRecord>,
): void {
  if (outputMode(flags) !== "readable") {
    printJson(response);
    return;
  }
  const user = response.status;
  const username = typeof user?.username === "string" ? user.username : call.name;
  printLine(`login sessions and tokens of ${username} ended; they must log in again.`);
}

/** `tokenleader revoke user -n NAME` (as an administrator). */
export async function runRevoke(flags: RevokeFlags): Promise<number> {
  const call = buildRevokeCall(flags);
  return runUserAdminCall(flags, `revoke user "${call.name}"`, call.send, (response) =>
    printRevokeResult(flags, call, response),
  );
}

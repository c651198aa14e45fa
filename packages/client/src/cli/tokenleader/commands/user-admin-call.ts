import type { Client } from "../../../client/client.js";
import type { AdminResponse, UserRecord } from "../../../client/responses.js";
import { loadClient } from "../../shared/load-client.js";
import { type GlobalFlags, UsageError } from "../../shared/output.js";
import { explainRefusal } from "./add-delete-shared.js";
import { single } from "./user-password.js";

// What `tokenleader update user` and `tokenleader revoke user` share: both act on one user only,
// send one admin call and word its refusals the same way.

/** Refuses a missing entity or one that is not `user`/`users`, with the command's own words. */
export function requireUserEntity(
  given: unknown,
  words: { missing: string; notUser: (value: string) => string },
): void {
  const value = single(given);
  if (value === undefined || value === "") throw new UsageError(words.missing);
  if (!["user", "users"].includes(value.toLowerCase())) throw new UsageError(words.notUser(value));
}

/** Logs in, sends the call, prints the answer; a refusal is reworded for `action`. */
export async function runUserAdminCall(
  flags: GlobalFlags,
  action: string,
  send: (client: Client) => Promise<AdminResponse<UserRecord>>,
  print: (response: AdminResponse<UserRecord>) => void,
): Promise<number> {
  const client = loadClient({ config: flags.config, timeout: flags.timeout });
  try {
    const response = await send(client).catch((err: unknown) => {
      throw explainRefusal(err, action, client.configs.tlUser);
    });
    print(response);
    return 0;
  } finally {
    await client.close();
  }
}

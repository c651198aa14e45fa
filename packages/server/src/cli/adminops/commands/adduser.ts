import { originalMessages } from "../../../services/messages.js";
import { userToDict } from "../../../services/records.js";
import type { AdminopsCommand } from "../command-module.js";
import { passwordFromArgv, withPasswordOptions } from "./password-options.js";

/** Splits `--rolenames r1,r2` (spaces around names are tolerated, empty entries dropped). */
export function splitRoleNames(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return String(value)
    .split(",")
    .map((role) => role.trim())
    .filter((role) => role !== "");
}

/** `adduser -n NAME [--password P | --password-stdin] [--emailid E] --rolenames r1,r2 --wfc WFC`. */
export const adduserCommand: AdminopsCommand = {
  command: "adduser",
  describe: "register a user with roles and a work function context",
  builder: (yargs) =>
    withPasswordOptions(
      yargs.option("name", {
        alias: "n",
        type: "string",
        demandOption: true,
        describe: "username",
      }),
      "password",
    )
      .option("emailid", { type: "string", describe: "e-mail address (optional, unique)" })
      .option("rolenames", {
        type: "string",
        default: "",
        describe: "comma-separated role names, e.g. role1,role2 (all must exist)",
      })
      .option("wfc", { type: "string", demandOption: true, describe: "work function context name" })
      .example(
        "$0 adduser -n user1 --emailid user1@example.org --rolenames role1 --wfc wfc1",
        "prompts for the password",
      )
      .example(
        'echo "$PW" | $0 adduser -n user1 --password-stdin --rolenames role1 --wfc wfc1',
        "",
      ),
  async run(argv, ctx) {
    const username = String(argv.name);
    const password = await passwordFromArgv(argv, ctx, username);
    const service = await ctx.adminService();
    const user = await service.addUser({
      username,
      password,
      email: argv.emailid as string | undefined,
      roles: splitRoleNames(argv.rolenames),
      wfc: String(argv.wfc),
    });
    ctx.print(() => `${originalMessages.registered(user.username)}\n`, userToDict(user));
    return 0;
  },
};

import { userToDict } from "../../../services/records.js";
import { readPassword } from "../../shared/password-input.js";
import type { AdminopsCommand } from "../command-module.js";

/**
 * `passwd -n NAME [--password P | --password-stdin]`: sets a database user's password. Their
 * cookie-login sessions and the bearer tokens issued before the change stop working.
 */
export const passwdCommand: AdminopsCommand = {
  command: "passwd",
  describe: "set a user's password (ends their sessions and earlier tokens)",
  builder: (yargs) =>
    yargs
      .option("name", { alias: "n", type: "string", demandOption: true, describe: "username" })
      .option("password", {
        type: "string",
        describe:
          "new password (visible in the process list; prefer --password-stdin or the prompt)",
      })
      .option("password-stdin", {
        type: "boolean",
        default: false,
        describe: "read the new password from the first line of standard input",
      })
      .example("$0 passwd -n admin", "prompts for the new password twice")
      .example('echo "$PW" | $0 passwd -n user1 --password-stdin', ""),
  async run(argv, ctx) {
    const username = String(argv.name);
    const password = await readPassword(ctx.io, {
      password: argv.password as string | undefined,
      passwordStdin: Boolean(argv["password-stdin"]),
      what: `user "${username}"`,
    });
    const service = await ctx.adminService();
    const user = await service.updateUser({ username, password });
    ctx.print(
      () =>
        `password of ${user.username} changed; their login sessions and earlier tokens have ended.\n`,
      userToDict(user),
    );
    return 0;
  },
};

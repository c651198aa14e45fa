import { userToDict } from "../../../services/records.js";
import type { AdminopsCommand } from "../command-module.js";
import { passwordFromArgv, withPasswordOptions } from "./password-options.js";

/**
 * `passwd -n NAME [--password P | --password-stdin]`: sets a database user's password. Their
 * cookie-login sessions and the bearer tokens issued before the change stop working.
 */
export const passwdCommand: AdminopsCommand = {
  command: "passwd",
  describe: "set a user's password (ends their sessions and earlier tokens)",
  builder: (yargs) =>
    withPasswordOptions(
      yargs.option("name", {
        alias: "n",
        type: "string",
        demandOption: true,
        describe: "username",
      }),
      "new password",
    )
      .example("$0 passwd -n admin", "prompts for the new password twice")
      .example('echo "$PW" | $0 passwd -n user1 --password-stdin', ""),
  async run(argv, ctx) {
    const username = String(argv.name);
    const password = await passwordFromArgv(argv, ctx, username);
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

import { userToDict } from "../../../services/records.js";
import type { AdminopsCommand } from "../command-module.js";

/**
 * `revoke -n NAME`: "log out everywhere". Ends the user's login sessions and makes every token
 * issued to them so far invalid at the token server, changing nothing else.
 */
export const revokeCommand: AdminopsCommand = {
  command: "revoke",
  describe: "end a user's login sessions and tokens (log out everywhere)",
  builder: (yargs) =>
    yargs
      .option("name", { alias: "n", type: "string", demandOption: true, describe: "username" })
      .example("$0 revoke -n user1", "after a token or password may have leaked"),
  async run(argv, ctx) {
    const service = await ctx.adminService();
    const user = await service.revokeUserTokens(String(argv.name));
    ctx.print(
      () => `login sessions and tokens of ${user.username} ended; they must log in again.\n`,
      userToDict(user),
    );
    return 0;
  },
};

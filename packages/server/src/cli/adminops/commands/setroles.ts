import { userToDict } from "../../../services/records.js";
import type { AdminopsCommand } from "../command-module.js";
import { splitRoleNames } from "./adduser.js";

/**
 * `setroles -n NAME --rolenames r1,r2`: replaces a database user's roles (all must exist; an
 * empty list removes every role). Their sessions and earlier tokens stop working, so the next
 * token carries the new roles.
 */
export const setrolesCommand: AdminopsCommand = {
  command: "setroles",
  describe: "replace a user's roles (ends their sessions and earlier tokens)",
  builder: (yargs) =>
    yargs
      .option("name", { alias: "n", type: "string", demandOption: true, describe: "username" })
      .option("rolenames", {
        type: "string",
        demandOption: true,
        describe: 'comma-separated role names, all existing; "" for none',
      })
      .example("$0 setroles -n user1 --rolenames role1,role2", ""),
  async run(argv, ctx) {
    const service = await ctx.adminService();
    const user = await service.updateUser({
      username: String(argv.name),
      roles: splitRoleNames(argv.rolenames),
    });
    ctx.print(
      () =>
        `roles of ${user.username}: ${user.roles.join(", ") || "(none)"}; their login sessions and earlier tokens have ended.\n`,
      userToDict(user),
    );
    return 0;
  },
};

import { originalMessages } from "../../../services/messages.js";
import type { AdminopsCommand } from "../command-module.js";

const ADDABLE = ["org", "ou", "dept", "role"] as const;
type Addable = (typeof ADDABLE)[number];

/** `add org|ou|dept|role -n NAME [--orgtype T]` (reference §8). */
export const addCommand: AdminopsCommand = {
  command: "add <entity>",
  describe: "register an organization (org), org unit (ou), department (dept) or role",
  builder: (yargs) =>
    yargs
      .positional("entity", { choices: ADDABLE, describe: "what to register" })
      .option("name", { alias: "n", type: "string", demandOption: true, describe: "its name" })
      .option("orgtype", {
        type: "string",
        default: "internal",
        describe: "organization type (org only)",
      })
      .example("$0 add org -n org1", "register organization org1"),
  async run(argv, ctx) {
    const entity = argv.entity as Addable;
    const name = String(argv.name);
    const service = await ctx.adminService();
    const record =
      entity === "org"
        ? await service.addOrg(name, { orgtype: String(argv.orgtype) })
        : entity === "ou"
          ? await service.addOrgUnit(name)
          : entity === "dept"
            ? await service.addDepartment(name)
            : await service.addRole(name);
    ctx.print(() => `${originalMessages.registered(record.name)}\n`, record);
    return 0;
  },
};

import type { AdminopsCommand } from "../command-module.js";
import { listRecords } from "./list-records.js";

const LISTABLE = ["org", "ou", "dept", "wfc", "role", "user"] as const;

/** `list org|ou|dept|wfc|role|user [-n NAME|all]`: every record, or one by name. */
export const listCommand: AdminopsCommand = {
  command: "list <entity>",
  describe: "list organizations, org units, departments, wfcs, roles or users",
  builder: (yargs) =>
    yargs
      .positional("entity", { choices: LISTABLE, describe: "what to list" })
      .option("name", {
        alias: "n",
        type: "string",
        default: "all",
        describe: 'a name, or "all" for every record',
      })
      .example("$0 list user", "all users")
      .example("$0 list wfc -n wfc1 --json", "one wfc as JSON"),
  run: (argv, ctx) => listRecords(argv.entity as (typeof LISTABLE)[number], String(argv.name), ctx),
};

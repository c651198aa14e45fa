import type { AdminopsCommand } from "../command-module.js";
import { deleteRecord } from "./delete-record.js";

const DELETABLE = ["org", "ou", "dept", "wfc", "role", "user"] as const;

/** `delete org|ou|dept|wfc|role|user -n NAME`: asks first on a terminal; `--yes` skips that. */
export const deleteCommand: AdminopsCommand = {
  command: "delete <entity>",
  describe:
    "delete an organization, org unit, department, wfc, role or user (refused while still in use)",
  builder: (yargs) =>
    yargs
      .positional("entity", { choices: DELETABLE, describe: "what to delete" })
      .option("name", { alias: "n", type: "string", demandOption: true, describe: "its name" })
      .example("$0 delete user -n user1 --yes", "delete without asking"),
  run: (argv, ctx) =>
    deleteRecord(argv.entity as (typeof DELETABLE)[number], String(argv.name), ctx),
};

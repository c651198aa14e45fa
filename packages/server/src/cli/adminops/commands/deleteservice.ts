import type { AdminopsCommand } from "../command-module.js";
import { deleteRecord } from "./delete-record.js";

/** `deleteservice -n NAME`; the original spelled it `deletservice`, kept as an alias. */
export const deleteserviceCommand: AdminopsCommand = {
  command: ["deleteservice", "deletservice"],
  describe: "delete a service from the catalog",
  builder: (yargs) =>
    yargs.option("name", {
      alias: "n",
      type: "string",
      demandOption: true,
      describe: "service name",
    }),
  run: (argv, ctx) => deleteRecord("service", String(argv.name), ctx),
};

import type { AdminopsCommand } from "../command-module.js";
import { listRecords } from "./list-records.js";

/** `listservice [-n NAME|all]`. */
export const listserviceCommand: AdminopsCommand = {
  command: "listservice",
  describe: "list the service catalog, or one service",
  builder: (yargs) =>
    yargs.option("name", {
      alias: "n",
      type: "string",
      default: "all",
      describe: 'a service name, or "all"',
    }),
  run: (argv, ctx) => listRecords("service", String(argv.name), ctx),
};

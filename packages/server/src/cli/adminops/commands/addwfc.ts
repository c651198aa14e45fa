import { originalMessages } from "../../../services/messages.js";
import type { AdminopsCommand } from "../command-module.js";

/** `addwfc -n NAME --wfcorg ORG --wfcou OU --wfcdept DEPT`: all three must exist. */
export const addwfcCommand: AdminopsCommand = {
  command: "addwfc",
  describe: "register a work function context linking an existing org, org unit and department",
  builder: (yargs) =>
    yargs
      .option("name", { alias: "n", type: "string", demandOption: true, describe: "wfc name" })
      .option("wfcorg", { type: "string", demandOption: true, describe: "organization name" })
      .option("wfcou", { type: "string", demandOption: true, describe: "org unit name" })
      .option("wfcdept", { type: "string", demandOption: true, describe: "department name" })
      .example("$0 addwfc -n wfc1 --wfcorg org1 --wfcou ou1 --wfcdept dept1", ""),
  async run(argv, ctx) {
    const service = await ctx.adminService();
    const wfc = await service.addWfc(
      String(argv.name),
      String(argv.wfcorg),
      String(argv.wfcou),
      String(argv.wfcdept),
    );
    ctx.print(() => `${originalMessages.registered(wfc.name)}\n`, wfc);
    return 0;
  },
};

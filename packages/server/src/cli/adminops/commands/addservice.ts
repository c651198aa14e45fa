import { originalMessages } from "../../../services/messages.js";
import type { AdminopsCommand } from "../command-module.js";

/** `addservice -n NAME --urlint URL [--password P] [--urlext URL] [--urladmin URL]`. */
export const addserviceCommand: AdminopsCommand = {
  command: "addservice",
  describe: "register a service in the service catalog",
  builder: (yargs) =>
    yargs
      .option("name", { alias: "n", type: "string", demandOption: true, describe: "service name" })
      .option("urlint", {
        type: "string",
        demandOption: true,
        describe: "internal endpoint URL (service to service)",
      })
      .option("urlext", { type: "string", describe: "external endpoint URL (user network)" })
      .option("urladmin", { type: "string", describe: "admin endpoint URL (admin network)" })
      .option("password", { type: "string", describe: "optional service-account password" })
      .example("$0 addservice -n tokenleader --urlint localhost:5001", ""),
  async run(argv, ctx) {
    const service = await ctx.adminService();
    const record = await service.addService({
      name: String(argv.name),
      password: argv.password as string | undefined,
      urlInternal: String(argv.urlint),
      urlExternal: argv.urlext as string | undefined,
      urlAdmin: argv.urladmin as string | undefined,
    });
    ctx.print(() => `${originalMessages.registered(record.name)}\n`, record);
    return 0;
  },
};

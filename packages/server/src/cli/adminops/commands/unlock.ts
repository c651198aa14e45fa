import { type AdminopsCommand, UsageError } from "../command-module.js";
import { lockoutsService } from "./lockouts-service.js";

/** `unlock -n USER` / `unlock --source ADDRESS`: forgets the failures behind a lockout. */
export const unlockCommand: AdminopsCommand = {
  command: "unlock",
  describe: "lift the guessing limit of an account (-n) and/or a client address (--source)",
  builder: (yargs) =>
    yargs
      .option("name", { alias: "n", type: "string", describe: "username (from every address)" })
      .option("source", {
        type: "string",
        describe: "client address, as `adminops lockouts` shows it",
      })
      .example("$0 unlock -n user1", "after checking that the failures were the user's own")
      .example("$0 unlock --source 203.0.113.7", "an office address locked by someone's typos"),
  async run(argv, ctx) {
    const account = typeof argv.name === "string" ? argv.name : undefined;
    const source = typeof argv.source === "string" ? argv.source : undefined;
    if (account === undefined && source === undefined) {
      throw new UsageError("unlock needs -n USER and/or --source ADDRESS");
    }
    const result = await (await lockoutsService(ctx)).unlock(
      {
        ...(account !== undefined ? { account } : {}),
        ...(source !== undefined ? { source } : {}),
      },
      ctx.auditActor,
    );
    const what = [account && `account ${account}`, source && `address ${source}`]
      .filter(Boolean)
      .join(" and ");
    ctx.print(
      () =>
        result.countersRemoved > 0
          ? `unlocked ${what}: their failed checks are forgotten.\n`
          : `${what}: nothing was limited.\n`,
      { account: account ?? null, source: source ?? null, ...result },
    );
    return 0;
  },
};

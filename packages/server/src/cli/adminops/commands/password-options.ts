import type { Argv } from "yargs";
import { readPassword } from "../../shared/password-input.js";
import type { AdminopsContext } from "../context.js";

// The password flags of the commands that set a user's password (adduser, passwd): one
// definition, so their help and their safety advice cannot drift apart.

/** Adds `--password` and `--password-stdin`. */
export function withPasswordOptions(yargs: Argv, what: string): Argv {
  return yargs
    .option("password", {
      type: "string",
      describe: `${what} (visible in the process list; prefer --password-stdin or the prompt)`,
    })
    .option("password-stdin", {
      type: "boolean",
      default: false,
      describe: `read the ${what} from the first line of standard input`,
    });
}

/** The password from the flags, standard input, or a hidden prompt asked twice. */
export function passwordFromArgv(
  argv: Record<string, unknown>,
  ctx: AdminopsContext,
  username: string,
): Promise<string> {
  return readPassword(ctx.io, {
    password: argv.password as string | undefined,
    passwordStdin: Boolean(argv["password-stdin"]),
    what: `user "${username}"`,
  });
}

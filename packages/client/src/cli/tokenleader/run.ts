import yargs from "yargs";
import { parseCommandLine } from "../../terminal/parse-command-line.js";
import { type OutputMode, outputMode, reportError } from "../shared/output.js";
import { DEFAULT_TIMEOUT_SECONDS, parseTimeoutSeconds } from "../shared/timeout-option.js";
import { addBuilder, runAdd } from "./commands/add.js";
import { deleteBuilder, runDelete } from "./commands/delete.js";
import { gettokenBuilder, runGettoken } from "./commands/gettoken.js";
import { listBuilder, runList } from "./commands/list.js";
import { revokeBuilder, runRevoke } from "./commands/revoke.js";
import { runUpdate, updateBuilder } from "./commands/update.js";
import { runVerify, verifyBuilder } from "./commands/verify.js";

const PROGRAM = "tokenleader";

/** Parses argv, runs one command, returns the exit status (never exits the process itself). */
export async function runTokenleaderCli(argv: string[]): Promise<number> {
  let exitCode = 0;
  let mode: OutputMode = "readable";
  const guard =
    <T extends object>(fn: (flags: T) => Promise<number>) =>
    async (flags: T) => {
      mode = outputMode(flags);
      try {
        exitCode = await fn(flags);
      } catch (err) {
        exitCode = reportError(PROGRAM, err, mode);
      }
    };

  const parser = yargs(argv)
    .scriptName(PROGRAM)
    .usage(
      "$0 <command> [options]\n\nGet and verify tokenleader tokens; list, add, update and delete what the server holds; revoke a user's tokens.",
    )
    .option("config", {
      type: "string",
      global: true,
      describe:
        "client config file (default $TOKENLEADER_CLIENT_CONFIG or /etc/tokenleader/client_configs.yml)",
    })
    .option("timeout", {
      type: "number",
      global: true,
      default: DEFAULT_TIMEOUT_SECONDS,
      coerce: parseTimeoutSeconds,
      describe: "seconds to wait for each answer of the server",
    })
    .option("json", { type: "boolean", global: true, describe: "machine-readable JSON output" })
    .option("compat", {
      type: "boolean",
      global: true,
      describe: 'print the Python client\'s dicts as JSON (errors as {"error": …})',
    })
    .command("gettoken", "log in and print a token", gettokenBuilder, guard(runGettoken))
    .command(
      "verify",
      "verify a token (locally with tl_public_key or the JWKS)",
      verifyBuilder,
      guard(runVerify),
    )
    .command(
      "list [ENTITY]",
      "list users, org, ou, dept, role, wfc or service",
      listBuilder,
      guard(runList),
    )
    .command(
      "add [entity]",
      "register an org, ou, dept, role, wfc, user or service (administrators)",
      addBuilder,
      guard(runAdd),
    )
    .command(
      "update [entity]",
      "change a user's password and/or roles (administrators)",
      updateBuilder,
      guard(runUpdate),
    )
    .command(
      "revoke [entity]",
      "log a user out everywhere: end their login sessions and tokens (administrators)",
      revokeBuilder,
      guard(runRevoke),
    )
    .command(
      "delete [entity]",
      "delete an org, ou, dept, role, wfc, user or service (administrators)",
      deleteBuilder,
      guard(runDelete),
    )
    .demandCommand(1, "say which command to run");

  // This package's package.json: three folders up from src/cli/<name>/ and dist/cli/<name>/ alike.
  const { usageError } = await parseCommandLine(
    parser,
    new URL("../../../package.json", import.meta.url),
  );
  if (usageError !== null) {
    process.stderr.write(`${PROGRAM}: ${usageError} (see "${PROGRAM} --help")\n`);
    return 2;
  }
  return exitCode;
}

import yargs from "yargs";
import { CLIENT_CONFIG_SAMPLE } from "../../config/client-config-sample.js";
import type { CliIo } from "../../terminal/io.js";
import { parseCommandLine } from "../../terminal/parse-command-line.js";
import { processIo } from "../../terminal/process-io.js";
import { outputMode, reportError } from "../shared/output.js";
import { type AuthFlags, runStorePassword } from "./store-password.js";

const PROGRAM = "tokenleader-auth";

/** Parses argv and stores the password; returns the exit status (never exits the process). */
export async function runTokenleaderAuthCli(
  argv: string[],
  io: CliIo = processIo,
): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName(PROGRAM)
    .usage(
      "$0 [options]\n\nStores your tokenleader password, Fernet-encrypted, in the file named by " +
        "user_auth_info_file_location of the client config (mode 0600); the key goes to fernet_key_file " +
        "(created when missing). Without -p or --password-stdin you are prompted.",
    )
    .option("password", {
      alias: "p",
      type: "string",
      describe: "the password (ends up in shell history: prefer the prompt)",
    })
    .option("password-stdin", {
      type: "boolean",
      describe: "read the password from standard input",
    })
    .option("force", { type: "boolean", describe: "replace an existing password file" })
    .option("config", {
      type: "string",
      describe:
        "client config file (default $TOKENLEADER_CLIENT_CONFIG or /etc/tokenleader/client_configs.yml)",
    })
    .option("json", { type: "boolean", describe: "machine-readable JSON output" })
    .epilog(
      `A client config file looks like this (a commented sample is etc/client_configs.yml in the tokenleader repository):\n\n${CLIENT_CONFIG_SAMPLE}`,
    );

  // This package's package.json: three folders up from src/cli/<name>/ and dist/cli/<name>/ alike.
  const { flags: parsed, usageError } = await parseCommandLine(
    parser,
    new URL("../../../package.json", import.meta.url),
  );
  if (usageError !== null) {
    io.err(`${PROGRAM}: ${usageError} (see "${PROGRAM} --help")\n`);
    return 2;
  }
  const flags = parsed as AuthFlags & { help?: boolean; version?: boolean };
  // yargs printed the help or the version: nothing else to do.
  if (flags.help || flags.version) return 0;
  try {
    exitCode = await runStorePassword(flags, io);
  } catch (err) {
    exitCode = reportError(PROGRAM, err, outputMode(flags), io);
  }
  return exitCode;
}

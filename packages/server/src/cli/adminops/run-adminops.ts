// Parses the command line, runs one command and turns every outcome into an exit status and
// a message: 0 success, 1 failure, 2 usage or settings error. Never exits the process itself.

import { type CliIo, PromptCancelledError, readPackageVersion } from "@tokenleader/client/terminal";
import yargs, { type Argv } from "yargs";
import { SettingsError } from "../../config/settings-types.js";
import { isDatabaseError } from "../../db/errors.js";
import { toAppError } from "../../errors.js";
import { KeyError } from "../../keys/key-error.js";
import type { AdminServiceHooks } from "../../services/admin-service.js";
import { sessionRevocationHooks } from "../../sessions/revocation-hooks.js";
import { PasswordInputError } from "../shared/password-input.js";
import { type AdminopsCommand, UsageError } from "./command-module.js";
import { adminopsCommands } from "./commands.js";
import { type AdminopsGlobals, createAdminopsContext } from "./context.js";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface RunAdminopsOptions {
  commands?: readonly AdminopsCommand[];
  env?: Record<string, string | undefined>;
  cwd?: string;
  /**
   * Plugged into the service layer. Default: revocation — changing or deleting a user ends their
   * login sessions and earlier bearer tokens on every server sharing the database.
   */
  hooks?: AdminServiceHooks;
}

export async function runAdminops(
  args: readonly string[],
  io: CliIo,
  options: RunAdminopsOptions = {},
): Promise<number> {
  let selected: { command: AdminopsCommand; argv: Record<string, unknown> } | undefined;
  const parser = yargs()
    .scriptName("adminops")
    .usage(
      "$0 <command> [options]\n\nAdministers a tokenleader server's database: organizations, org units, departments, work function contexts (wfc), roles, users and the service catalog.",
    )
    .option("config", {
      type: "string",
      global: true,
      describe:
        "settings file (default: $TOKENLEADER_CONFIG, then /etc/tokenleader/tokenleader_settings.ini)",
    })
    .option("db", {
      type: "string",
      global: true,
      describe: "database URL, overrides the settings (file:PATH, sqlite:////PATH, postgresql://…)",
    })
    .option("json", {
      type: "boolean",
      global: true,
      default: false,
      describe: "JSON output for scripts",
    })
    .option("verbose", {
      type: "boolean",
      global: true,
      default: false,
      describe: "show error details",
    })
    .option("yes", {
      alias: "y",
      type: "boolean",
      global: true,
      default: false,
      describe: "do not ask before deleting",
    })
    .strict()
    .demandCommand(1, "name a command")
    .recommendCommands()
    .exitProcess(false)
    .help()
    .alias("help", "h")
    // This package's package.json: three folders up from src/cli/<name>/ and dist/cli/<name>/ alike.
    .version(readPackageVersion(new URL("../../../package.json", import.meta.url)))
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue(
      "Exit status: 0 success, 1 failure, 2 usage or settings error.\nFirst run: adminops initdb, then add org/ou/dept, addwfc, add role, adduser.",
    );
  const declare = (y: Argv, command: AdminopsCommand): Argv =>
    y.command(
      command.command as string | string[],
      command.describe,
      (inner) => {
        const built = command.builder ? command.builder(inner) : inner;
        const subcommands = command.subcommands ?? [];
        for (const subcommand of subcommands) declare(built, subcommand);
        return subcommands.length > 0 ? built.demandCommand(1, "name a command") : built;
      },
      (argv) => {
        selected = { command, argv: argv as Record<string, unknown> };
      },
    );
  for (const command of options.commands ?? adminopsCommands) declare(parser, command);

  let parseError: Error | undefined;
  let helpText = "";
  await new Promise<void>((resolve) => {
    parser.parse([...args], {}, (error, _argv, output) => {
      parseError = error ?? undefined;
      helpText = output;
      resolve();
    });
  });
  if (parseError) {
    // yargs appends the message to the help text; show it once, as our error line.
    const help = helpText.trimEnd();
    const usage = help.endsWith(parseError.message)
      ? help.slice(0, -parseError.message.length).trimEnd()
      : help;
    if (usage) io.err(`${usage}\n\n`);
    io.err(`adminops: error: ${parseError.message}\n`);
    return EXIT_USAGE;
  }
  if (!selected) {
    // --help (or a command's --help): yargs produced the text, nothing else to do.
    io.out(helpText.endsWith("\n") ? helpText : `${helpText}\n`);
    return EXIT_OK;
  }

  const globals: AdminopsGlobals = {
    config: selected.argv.config as string | undefined,
    db: selected.argv.db as string | undefined,
    json: Boolean(selected.argv.json),
    verbose: Boolean(selected.argv.verbose),
    yes: Boolean(selected.argv.yes),
  };
  const { context, close } = createAdminopsContext(io, globals, {
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
    hooks: options.hooks ?? sessionRevocationHooks(),
  });
  try {
    if (!selected.command.run) throw new UsageError("name a command");
    return await selected.command.run(selected.argv, context);
  } catch (error) {
    return reportFailure(error, io, globals);
  } finally {
    await close();
  }
}

function reportFailure(error: unknown, io: CliIo, globals: AdminopsGlobals): number {
  if (error instanceof SettingsError) {
    for (const problem of error.problems) io.err(`adminops: settings: ${problem}\n`);
    return EXIT_USAGE;
  }
  // A key-encryption key that is missing or not the deployment's: a setting to fix.
  if (
    error instanceof UsageError ||
    error instanceof PasswordInputError ||
    error instanceof KeyError
  ) {
    io.err(`adminops: error: ${error.message}\n`);
    return EXIT_USAGE;
  }
  // Ctrl-C or Ctrl-D at a prompt (@tokenleader/client/terminal's PromptCancelledError).
  if (error instanceof PromptCancelledError) {
    io.err("adminops: error: cancelled\n");
    return EXIT_FAILURE;
  }
  // Data-layer errors carry operator-facing text (with the redacted URL): show it as is.
  const appError = toAppError(error);
  const message = isDatabaseError(error)
    ? error.message
    : appError.code === "INTERNAL" && error instanceof Error && error !== appError
      ? `unexpected error: ${firstLine(error.message)}`
      : appError.message;
  io.err(`adminops: error: ${message}\n`);
  if (globals.json) {
    const body = { error: { code: appError.code, message, details: appError.details } };
    io.out(`${JSON.stringify(body, null, 2)}\n`);
  }
  if (globals.verbose) {
    const cause = appError === error ? appError.cause : error;
    const detail = cause instanceof Error ? (cause.stack ?? cause.message) : cause;
    if (detail !== undefined) io.err(`${String(detail)}\n`);
  } else if (appError.code === "INTERNAL") {
    io.err("adminops: run again with --verbose for details\n");
  }
  return EXIT_FAILURE;
}

function firstLine(text: string): string {
  return (
    text
      .split("\n")
      .map((line) => line.trim())
      .find((line) => line !== "") ?? "unknown"
  );
}

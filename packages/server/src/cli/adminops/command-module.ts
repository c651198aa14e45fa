import type { Argv } from "yargs";
import type { AdminopsContext } from "./context.js";

/**
 * One adminops command. `builder` declares its arguments for yargs (parsing, help, validation);
 * `run` does the work with the parsed arguments and returns the exit status. To add a command,
 * write a module exporting one of these and list it in commands.ts.
 */
export interface AdminopsCommand {
  /** yargs command string(s), e.g. "add <entity>"; further entries are aliases. */
  command: string | readonly string[];
  describe: string;
  builder?: (yargs: Argv) => Argv;
  /**
   * A group of commands (`keys list|rotate|retire`): each is a command of its own, with its own
   * options and help; the group itself only names them.
   */
  subcommands?: readonly AdminopsCommand[];
  /** Required unless the command has subcommands. */
  run?(argv: Record<string, unknown>, ctx: AdminopsContext): Promise<number>;
}

/** A problem with how the command was called (exit status 2, like a yargs error). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

import { Configs } from "../../config/configs.js";
import { assertPasswordFileReplaceable } from "../../credentials/stored-password.js";
import { ClientError } from "../../errors.js";
import type { CliIo } from "../../terminal/io.js";
import { processIo } from "../../terminal/process-io.js";
import { stripOneTrailingNewline } from "../../terminal/read-stdin.js";
import { type GlobalFlags, outputMode, printJson, printLine } from "../shared/output.js";

export interface AuthFlags extends GlobalFlags {
  password?: string;
  passwordStdin?: boolean;
  force?: boolean;
}

/** Where the password comes from: -p, --password-stdin, or a hidden prompt on a terminal. */
async function obtainPassword(flags: AuthFlags, io: CliIo): Promise<string> {
  if (flags.password !== undefined && flags.passwordStdin) {
    throw new ClientError(
      "CREDENTIALS",
      "give the password either with -p or with --password-stdin, not both",
    );
  }
  if (flags.password !== undefined) return flags.password;
  if (flags.passwordStdin) return stripOneTrailingNewline(await io.readStdin());
  if (!io.stdinIsTty) {
    throw new ClientError(
      "CREDENTIALS",
      'no password given: use --password-stdin (e.g. printf %s "$PW" | tokenleader-auth --password-stdin), -p, or run in a terminal to be prompted',
    );
  }
  const first = await io.promptHidden("Password: ");
  const second = await io.promptHidden("Repeat password: ");
  if (first !== second)
    throw new ClientError("CREDENTIALS", "the two passwords differ; nothing was written");
  return first;
}

/** `tokenleader-auth`: encrypts the password into user_auth_info_file_location. */
export async function runStorePassword(flags: AuthFlags, io: CliIo = processIo): Promise<number> {
  // Load the config first, so a missing config is reported before asking for a password, and
  // refuse to replace an existing file before asking for a password that could not be stored.
  const configs = new Configs({ configFile: flags.config });
  assertPasswordFileReplaceable(configs.credentialFiles(), { force: flags.force });
  const password = await obtainPassword(flags, io);
  if (password === "")
    throw new ClientError("CREDENTIALS", "the password is empty; nothing was written");
  const result = await configs.generateUserAuthFile(password, { force: flags.force });
  if (outputMode(flags) === "readable") {
    if (result.keyCreated) printLine(`created key file ${result.keyFile}`, io);
    printLine(
      `file ${result.passwordFile} has been ${result.replaced ? "replaced" : "generated"}`,
      io,
    );
  } else {
    printJson(result, io);
  }
  return 0;
}

import { Configs } from "../../config/configs.js";
import { ClientError } from "../../errors.js";
import { type GlobalFlags, outputMode, printJson, printLine } from "../shared/output.js";
import { readAllStdin, stripOneTrailingNewline } from "../shared/read-stdin.js";
import { promptHidden } from "./prompt-password.js";

export interface AuthFlags extends GlobalFlags {
  password?: string;
  passwordStdin?: boolean;
  force?: boolean;
}

/** Where the password comes from: -p, --password-stdin, or a hidden prompt on a terminal. */
async function obtainPassword(flags: AuthFlags): Promise<string> {
  if (flags.password !== undefined && flags.passwordStdin) {
    throw new ClientError(
      "CREDENTIALS",
      "give the password either with -p or with --password-stdin, not both",
    );
  }
  if (flags.password !== undefined) return flags.password;
  if (flags.passwordStdin) return stripOneTrailingNewline(await readAllStdin());
  if (!process.stdin.isTTY) {
    throw new ClientError(
      "CREDENTIALS",
      'no password given: use --password-stdin (e.g. printf %s "$PW" | tokenleader-auth --password-stdin), -p, or run in a terminal to be prompted',
    );
  }
  const first = await promptHidden("Password: ");
  const second = await promptHidden("Repeat password: ");
  if (first !== second)
    throw new ClientError("CREDENTIALS", "the two passwords differ; nothing was written");
  return first;
}

/** `tokenleader-auth`: encrypts the password into user_auth_info_file_location. */
export async function runStorePassword(flags: AuthFlags): Promise<number> {
  // Load the config first, so a missing config is reported before asking for a password.
  const configs = new Configs({ configFile: flags.config });
  const password = await obtainPassword(flags);
  if (password === "")
    throw new ClientError("CREDENTIALS", "the password is empty; nothing was written");
  const result = configs.generateUserAuthFile(password, { force: flags.force });
  if (outputMode(flags) === "readable") {
    if (result.keyCreated) printLine(`created key file ${result.keyFile}`);
    printLine(`file ${result.passwordFile} has been ${result.replaced ? "replaced" : "generated"}`);
  } else {
    printJson(result);
  }
  return 0;
}

import { ClientError } from "../../../errors.js";
import { promptHidden } from "../../../terminal/prompts.js";
import { readAllStdin, stripOneTrailingNewline } from "../../../terminal/read-stdin.js";
import { UsageError } from "../../shared/output.js";

// The password flags of `add user` and `update user`: `--password PW` (visible in the process
// list), `--password-stdin`, or a hidden prompt asked twice when run in a terminal.

export interface PasswordFlags {
  password?: unknown;
  passwordStdin?: boolean;
}

/** The last value of a flag given more than once (yargs makes an array of them). */
export function single(value: unknown): string | undefined {
  const last = Array.isArray(value) ? value.at(-1) : value;
  return last === undefined || last === null ? undefined : String(last);
}

/** Whether the flags name a password source (`--password` or `--password-stdin`). */
export function passwordFlagGiven(flags: PasswordFlags): boolean {
  return single(flags.password) !== undefined || Boolean(flags.passwordStdin);
}

/** Refuses `--password` together with `--password-stdin` (before anything is read or sent). */
export function checkPasswordFlags(flags: PasswordFlags): void {
  if (single(flags.password) !== undefined && flags.passwordStdin) {
    throw new UsageError("give the password either with --password or --password-stdin, not both");
  }
}

export interface PasswordWording {
  /** The first prompt, e.g. `Password for u1: `. */
  prompt: string;
  /** What did not happen when the password is refused, e.g. "nothing was registered". */
  nothingDone: string;
  /** The usage error when there is no password and no terminal to ask on. */
  noPassword: string;
}

/** The password from --password, --password-stdin, or asked twice on a terminal. */
export async function readUserPassword(
  flags: PasswordFlags,
  wording: PasswordWording,
): Promise<string> {
  checkPasswordFlags(flags);
  const given = single(flags.password);
  let password: string;
  if (given !== undefined) password = given;
  else if (flags.passwordStdin) password = stripOneTrailingNewline(await readAllStdin());
  else if (process.stdin.isTTY) {
    password = await promptHidden(wording.prompt);
    if ((await promptHidden("Repeat password: ")) !== password) {
      throw new ClientError("CREDENTIALS", `the two passwords differ; ${wording.nothingDone}`);
    }
  } else {
    throw new UsageError(wording.noPassword);
  }
  if (password === "") {
    throw new ClientError("CREDENTIALS", `the password is empty; ${wording.nothingDone}`);
  }
  return password;
}

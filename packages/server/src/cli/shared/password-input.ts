import type { CliIo } from "@tokenleader/client/terminal";

export class PasswordInputError extends Error {
  override readonly name = "PasswordInputError";
}

/**
 * Where a CLI gets a password from, safest first: `--password-stdin` (first line of stdin),
 * a hidden prompt asked twice when stdin is a terminal, or `--password` (visible in the process
 * list and shell history; kept for compatibility with the original).
 */
export async function readPassword(
  io: CliIo,
  options: { password?: string; passwordStdin?: boolean; what: string },
): Promise<string> {
  if (options.password !== undefined && options.passwordStdin) {
    throw new PasswordInputError("give either --password or --password-stdin, not both");
  }
  if (options.password !== undefined) return options.password;
  if (options.passwordStdin) {
    const text = await io.readStdin();
    const firstLine = text.split(/\r?\n/)[0] ?? "";
    if (firstLine === "") {
      throw new PasswordInputError("--password-stdin: standard input holds no password");
    }
    return firstLine;
  }
  if (!io.stdinIsTty) {
    throw new PasswordInputError(
      `no password given for ${options.what}: pass --password-stdin (and pipe it in) or run on a terminal to be prompted`,
    );
  }
  const first = await io.promptHidden(`Password for ${options.what}: `);
  const second = await io.promptHidden("Repeat the password: ");
  if (first !== second) throw new PasswordInputError("the two passwords differ; nothing was saved");
  if (first === "") throw new PasswordInputError("the password must not be empty");
  return first;
}

import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../files/atomic-file.js";
import { parseIni } from "../settings/ini.js";

// The original stored the encrypted password with Python's configparser:
//   [DEFAULT]
//   tl_password = <fernet token>
// Read with the INI reader of the server's settings file, which accepts what configparser does
// in practice (other sections, `:` separators, comments, indentation); keys in any case, as
// configparser lower-cases them.

export const PASSWORD_KEY = "tl_password";

export class PasswordFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "PasswordFileError";
  }
}

export function formatPasswordFile(fernetToken: string): string {
  return `[DEFAULT]\n${PASSWORD_KEY} = ${fernetToken}\n\n`;
}

/**
 * Writes the password file atomically, 0600. Without `overwrite`, an existing file is left alone
 * and the result is false (another process may have created it meanwhile).
 */
export function writePasswordFile(
  path: string,
  fernetToken: string,
  options: { overwrite: boolean },
): Promise<boolean> {
  return writeFileAtomic(path, formatPasswordFile(fernetToken), {
    mode: 0o600,
    exclusive: !options.overwrite,
  });
}

/** The Fernet token stored under `tl_password` (in [DEFAULT], which configparser applies everywhere). */
export function readPasswordFileToken(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new PasswordFileError(
      path,
      code === "ENOENT"
        ? `password file ${path} does not exist: create it with "tokenleader-auth"`
        : `password file ${path} cannot be read (${code})`,
    );
  }
  const value = findIniValue(text, path, "DEFAULT", PASSWORD_KEY);
  if (value === undefined || value === "") {
    throw new PasswordFileError(
      path,
      `password file ${path} has no "${PASSWORD_KEY}" in [DEFAULT]`,
    );
  }
  return value;
}

function findIniValue(
  text: string,
  fileName: string,
  section: string,
  key: string,
): string | undefined {
  const entries = parseIni(text, { fileName }).document.get(section);
  let found: string | undefined;
  for (const [name, entry] of entries ?? []) {
    if (name.toLowerCase() === key) found = entry.raw.trim();
  }
  return found;
}

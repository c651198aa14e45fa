import { readFileSync } from "node:fs";
import { writeFileAtomic } from "../files/atomic-file.js";

// The original stored the encrypted password with Python's configparser:
//   [DEFAULT]
//   tl_password = <fernet token>
// Reading tolerates what configparser accepts in practice (other sections, `:` separators,
// comments, indentation, key case).

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
  const value = findIniValue(text, "DEFAULT", PASSWORD_KEY);
  if (value === undefined || value === "") {
    throw new PasswordFileError(
      path,
      `password file ${path} has no "${PASSWORD_KEY}" in [DEFAULT]`,
    );
  }
  return value;
}

function findIniValue(text: string, section: string, key: string): string | undefined {
  let current: string | null = null;
  let found: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      current = header[1]!.trim();
      continue;
    }
    const match = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (match && current === section && match[1]!.toLowerCase() === key) found = match[2]!.trim();
  }
  return found;
}

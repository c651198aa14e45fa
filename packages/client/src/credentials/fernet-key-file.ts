import { existsSync, readFileSync } from "node:fs";
import { writeFileAtomic } from "../files/atomic-file.js";
import { generateFernetKey, parseFernetKey } from "./fernet.js";

export class FernetKeyFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = "FernetKeyFileError";
  }
}

/**
 * Reads the key as the Python client did: the first line of the file (a trailing newline is
 * tolerated), which must be a valid Fernet key.
 */
export function readFernetKeyFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new FernetKeyFileError(
      path,
      code === "ENOENT"
        ? `key file ${path} does not exist`
        : `key file ${path} cannot be read (${code})`,
    );
  }
  const key = (text.split(/\r?\n/, 1)[0] ?? "").trim();
  try {
    parseFernetKey(key);
  } catch {
    throw new FernetKeyFileError(path, `key file ${path} does not hold a valid Fernet key`);
  }
  return key;
}

/** Returns the key in `path`, creating the file (0600, 44 chars, no newline) when it is missing. */
export async function loadOrCreateFernetKeyFile(
  path: string,
): Promise<{ key: string; created: boolean }> {
  if (existsSync(path)) return { key: readFernetKeyFile(path), created: false };
  const key = generateFernetKey();
  // Exclusive: if another process created it between the check and the write, theirs is used.
  if (!(await writeFileAtomic(path, key, { mode: 0o600, exclusive: true }))) {
    return { key: readFernetKeyFile(path), created: false };
  }
  return { key, created: true };
}

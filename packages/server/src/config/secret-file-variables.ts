import fs from "node:fs";
import path from "node:path";

// Secrets from files: `NAME_FILE=/run/secrets/x` stands for `NAME=<content of x>`. Docker and
// Kubernetes hand secrets over as files, which keeps them out of the environment (that
// `docker inspect`, /proc/<pid>/environ and crash reports show). The content is never echoed
// in a problem line: it is a secret.

/** The secret variables that have a `_FILE` twin; setting both is a mistake. */
export const SECRET_FILE_VARIABLES = [
  { value: "TOKENLEADER_DB_URL", file: "TOKENLEADER_DB_URL_FILE" },
  // The key-encryption key's file is the [token] key_encryption_key_file setting, whose variable
  // already is TOKENLEADER_KEY_ENCRYPTION_KEY_FILE (keys/key-encryption-key.ts reads it).
  { value: "TOKENLEADER_KEY_ENCRYPTION_KEY", file: "TOKENLEADER_KEY_ENCRYPTION_KEY_FILE" },
] as const;

/** A secret is a line or a few: anything larger is the wrong file (or /dev/zero). */
export const SECRET_FILE_MAX_BYTES = 64 * 1024;

/** One problem line per pair of which both variables are set (an empty variable is unset). */
export function conflictingSecretVariables(env: Record<string, string | undefined>): string[] {
  return SECRET_FILE_VARIABLES.filter(
    (pair) => isSet(env[pair.value]) && isSet(env[pair.file]),
  ).map(
    (pair) =>
      `environment variables ${pair.value} and ${pair.file} are both set; set only one (${pair.file} names a file holding the value)`,
  );
}

/**
 * The content of the file `variable` names (relative to `cwd`), without trailing white space
 * (`echo secret > file` adds a newline). Problems name the variable and the file, never the
 * content.
 */
export function readSecretFile(
  variable: string,
  fileName: string,
  cwd: string,
): { value: string; file: string } | { problem: string } {
  const file = path.resolve(cwd, fileName);
  const where = `environment variable ${variable}=${fileName}`;
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return { problem: `${where}: ${file} is not a file; name the secret file` };
    if (stat.size > SECRET_FILE_MAX_BYTES) {
      return {
        problem: `${where}: ${file} is larger than ${SECRET_FILE_MAX_BYTES} bytes, too large for a secret; name the secret file`,
      };
    }
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    const reason = code === "ENOENT" ? "does not exist" : `cannot be read (${code})`;
    return {
      problem: `${where}: ${file} ${reason}; check the path and that this user may read it`,
    };
  }
  const value = text.replace(/\s+$/, "");
  if (value.trim() === "")
    return { problem: `${where}: ${file} is empty; write the value into it` };
  return { value, file };
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== "";
}

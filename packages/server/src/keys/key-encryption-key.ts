import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { KeyError } from "./key-error.js";
import { fileExists } from "./load-key-set.js";
import { writeSecretFileAtomic } from "./secret-file.js";

// The key-encryption key (KEK) protects the signing keys' private halves in the database. It never
// goes into the database: every server process of a deployment gets the same 32 bytes from
// TOKENLEADER_KEY_ENCRYPTION_KEY or from `[token] key_encryption_key_file` (variable
// TOKENLEADER_KEY_ENCRYPTION_KEY_FILE, e.g. a Docker secret; setting both variables is refused by
// config/secret-file-variables.ts). With neither, a single
// instance keeps working out of the box: a KEK is generated once in its data directory (0600);
// further instances must then be given that same key.

export const KEY_ENCRYPTION_KEY_ENV = "TOKENLEADER_KEY_ENCRYPTION_KEY";
export const KEY_ENCRYPTION_KEY_FILE_SETTING = "[token] key_encryption_key_file";
const KEY_ENCRYPTION_KEY_FILE_ENV = "TOKENLEADER_KEY_ENCRYPTION_KEY_FILE";
export const GENERATED_KEY_ENCRYPTION_KEY_FILE = "key-encryption.key";
const KEK_BYTES = 32;
const HOW_TO_MAKE = "make one with: openssl rand -base64 32";

export interface KeyEncryptionKey {
  readonly key: Buffer;
  /** Where it came from, for messages: the variable's name or the file path (never the key). */
  readonly source: string;
  /** The setting an operator changes to give the right key (named in error messages). */
  readonly setting: string;
}

export interface KeyEncryptionKeySettings {
  /** `[token] key_encryption_key_file`, or null. */
  readonly file: string | null;
  /** The environment variable's value (TOKENLEADER_KEY_ENCRYPTION_KEY), or undefined. */
  readonly envValue: string | undefined;
  readonly dataDir: string;
  /**
   * With neither set, generate one in the data directory when there is none (default true).
   * False for tools (adminops keys rotate) that must use the deployment's key, never a new one.
   */
  readonly generate?: boolean;
}

export async function resolveKeyEncryptionKey(
  settings: KeyEncryptionKeySettings,
): Promise<KeyEncryptionKey & { generated: boolean }> {
  if (settings.envValue !== undefined && settings.envValue.trim() !== "") {
    return {
      key: decodeKek(settings.envValue, KEY_ENCRYPTION_KEY_ENV),
      source: KEY_ENCRYPTION_KEY_ENV,
      setting: KEY_ENCRYPTION_KEY_ENV,
      generated: false,
    };
  }
  if (settings.file) {
    return {
      key: decodeKek(await readKekFile(settings.file), settings.file),
      source: settings.file,
      setting: KEY_ENCRYPTION_KEY_FILE_SETTING,
      generated: false,
    };
  }
  const file = join(settings.dataDir, GENERATED_KEY_ENCRYPTION_KEY_FILE);
  if (settings.generate === false && !(await fileExists(file))) {
    throw new KeyError(
      "KEY_ENCRYPTION_KEY_INVALID",
      `no key-encryption key: set ${KEY_ENCRYPTION_KEY_ENV} or ${KEY_ENCRYPTION_KEY_FILE_SETTING} ` +
        `to the one the deployment's servers use (a server given neither keeps it in ${file})`,
    );
  }
  // Exclusive: two processes sharing a data directory and starting together keep one KEK.
  const generated = await writeSecretFileAtomic(
    file,
    `${randomBytes(KEK_BYTES).toString("base64")}\n`,
    { exclusive: true },
  );
  return {
    key: decodeKek(await readKekFile(file), file),
    source: file,
    setting: `${KEY_ENCRYPTION_KEY_FILE_SETTING} (or ${KEY_ENCRYPTION_KEY_ENV})`,
    generated,
  };
}

async function readKekFile(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "does not exist" : `cannot be read (${code})`;
    throw new KeyError(
      "KEY_ENCRYPTION_KEY_INVALID",
      `the key-encryption key file ${file} (${KEY_ENCRYPTION_KEY_FILE_SETTING} or ${KEY_ENCRYPTION_KEY_FILE_ENV}) ${reason}; ${HOW_TO_MAKE}`,
      file,
    );
  }
}

function decodeKek(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, "base64");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) || key.length !== KEK_BYTES) {
    throw new KeyError(
      "KEY_ENCRYPTION_KEY_INVALID",
      `the key-encryption key in ${source} is not ${KEK_BYTES} bytes in base64; ${HOW_TO_MAKE}`,
      source === KEY_ENCRYPTION_KEY_ENV ? null : source,
    );
  }
  return key;
}

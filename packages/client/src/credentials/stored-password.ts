import { existsSync } from "node:fs";
import { ClientError } from "../errors.js";
import { fernetDecrypt, fernetEncrypt } from "./fernet.js";
import { loadOrCreateFernetKeyFile, readFernetKeyFile } from "./fernet-key-file.js";
import { readPasswordFileToken, writePasswordFile } from "./password-file.js";

export interface CredentialFiles {
  /** INI file with the encrypted password (`user_auth_info_file_location`). */
  passwordFile: string;
  /** Fernet key file (`fernet_key_file`). */
  keyFile: string;
}

export interface StoreResult extends CredentialFiles {
  keyCreated: boolean;
  replaced: boolean;
}

/** The refusal to replace an existing password file (the original's sentence, plus the way out). */
export function passwordFileExists(passwordFile: string): ClientError {
  return new ClientError(
    "CREDENTIALS",
    `file ${passwordFile} already exists, delete this file first to generate a new one (or use --force)`,
  );
}

/**
 * Throws passwordFileExists unless `force` or the file is absent: lets a caller refuse before
 * asking for a password it could not store.
 */
export function assertPasswordFileReplaceable(
  files: CredentialFiles,
  options: { force?: boolean } = {},
): void {
  if (!options.force && existsSync(files.passwordFile)) {
    throw passwordFileExists(files.passwordFile);
  }
}

/**
 * Encrypts `password` with the key in `keyFile` (created when missing) and writes the password file
 * atomically, 0600. An existing password file is kept unless `force` (the original refused too).
 */
export async function storeEncryptedPassword(
  files: CredentialFiles,
  password: string,
  options: { force?: boolean } = {},
): Promise<StoreResult> {
  if (typeof password !== "string" || password === "") {
    throw new ClientError("CREDENTIALS", "the password to store is empty");
  }
  const exists = existsSync(files.passwordFile);
  if (exists && !options.force) throw passwordFileExists(files.passwordFile);
  let key: string;
  let keyCreated: boolean;
  try {
    ({ key, created: keyCreated } = await loadOrCreateFernetKeyFile(files.keyFile));
  } catch (err) {
    throw new ClientError("CREDENTIALS", (err as Error).message, { cause: err });
  }
  let written: boolean;
  try {
    written = await writePasswordFile(files.passwordFile, fernetEncrypt(key, password), {
      overwrite: options.force === true,
    });
  } catch (err) {
    throw new ClientError(
      "CREDENTIALS",
      `password file ${files.passwordFile} cannot be written: ${(err as Error).message}`,
      { cause: err },
    );
  }
  // Created by another process since the check above: theirs stays.
  if (!written) throw passwordFileExists(files.passwordFile);
  return { ...files, keyCreated, replaced: exists };
}

/** Decrypts the stored password. Every failure is a ClientError("CREDENTIALS") naming both files. */
export function decryptStoredPassword(files: CredentialFiles): string {
  let token: string;
  try {
    token = readPasswordFileToken(files.passwordFile);
  } catch (err) {
    throw new ClientError("CREDENTIALS", (err as Error).message, { cause: err });
  }
  const cannotDecrypt = (why: string, cause: unknown) =>
    new ClientError(
      "CREDENTIALS",
      `credential file ${files.passwordFile} cannot be decrypted with key file ${files.keyFile}: ${why}`,
      { cause },
    );
  let key: string;
  try {
    key = readFernetKeyFile(files.keyFile);
  } catch (err) {
    throw cannotDecrypt((err as Error).message, err);
  }
  let plaintext: Buffer;
  try {
    plaintext = fernetDecrypt(key, token);
  } catch (err) {
    throw cannotDecrypt((err as Error).message, err);
  }
  const password = new TextDecoder("utf-8", { fatal: false }).decode(plaintext);
  return password;
}

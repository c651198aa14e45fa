import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import {
  isOpenSshPublicKey,
  parseOpenSshPublicKey,
  type SigningAlgorithm,
} from "@tokenleader/client";
import {
  describeKey,
  familyDescription,
  type KeyFamily,
  keyGenerationHint,
  MIN_RSA_BITS,
} from "./algorithms.js";
import { KeyError } from "./key-error.js";

// Reading the configured key files. Every failure becomes one KeyError line that names the file
// and says how to fix it, because the operator sees nothing else before the server refuses to start.

/** Largest key file read: a 16384-bit PEM key is ~13 KB; anything much bigger is not a key. */
const MAX_KEY_FILE_BYTES = 64 * 1024;

export async function readPrivateKeyFile(
  file: string,
  algorithm: SigningAlgorithm,
): Promise<KeyObject> {
  const hint = keyGenerationHint(algorithm, file);
  const text = await readKeyText(file, "token signing key", hint);
  if (text.includes("BEGIN OPENSSH PRIVATE KEY")) {
    throw new KeyError(
      "KEY_FILE_MALFORMED",
      `the token signing key ${file} is in the OpenSSH private-key format, which cannot be used; ` +
        `convert it with: ssh-keygen -p -m PEM -f ${file} (or ${hint})`,
      file,
    );
  }
  if (/ENCRYPTED/.test(text)) {
    throw new KeyError(
      "KEY_FILE_MALFORMED",
      `the token signing key ${file} is protected by a passphrase; the server needs an unencrypted ` +
        `PEM key: ${hint}`,
      file,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: "pem" });
  } catch {
    throw new KeyError(
      "KEY_FILE_MALFORMED",
      `the token signing key ${file} is not a PEM private key (PKCS#1 or PKCS#8): ${hint}`,
      file,
    );
  }
  checkKeyFits(key, algorithm, file, hint);
  return key;
}

export async function readPublicKeyFile(
  file: string,
  algorithm: SigningAlgorithm,
  privateKeyFile: string | null,
): Promise<KeyObject> {
  const fix = privateKeyFile
    ? `write the matching public key with: ssh-keygen -y -f ${privateKeyFile} > ${file}`
    : "use an OpenSSH (ssh-rsa …) or PEM public key";
  const key = await readAnyPublicKeyFile(file, fix);
  checkKeyFits(key, algorithm, file, fix);
  return key;
}

/** Reads an OpenSSH or PEM public key of any type; `fix` ends the error line. */
export async function readAnyPublicKeyFile(file: string, fix: string): Promise<KeyObject> {
  const text = await readKeyText(file, "token public key", fix);
  try {
    if (isOpenSshPublicKey(text)) return parseOpenSshPublicKey(text);
    if (text.includes("PRIVATE KEY")) {
      throw new Error("it holds a private key, which must not be published");
    }
    return createPublicKey({ key: text, format: "pem" });
  } catch (error) {
    const why =
      error instanceof Error && !/^error:/.test(error.message) ? `: ${error.message}` : "";
    throw new KeyError(
      "KEY_FILE_MALFORMED",
      `the token public key ${file} is not an OpenSSH (ssh-rsa …) or PEM public key${why}; ${fix}`,
      file,
    );
  }
}

/** The key must be of the algorithm's family (and RSA long enough). */
export function checkKeyFits(
  key: KeyObject,
  algorithm: SigningAlgorithm,
  file: string,
  fix: string,
): KeyFamily {
  const { family, description } = describeKey(key);
  const wanted = familyFor(algorithm);
  if (family !== wanted) {
    throw new KeyError(
      "KEY_WRONG_TYPE",
      `${file} holds an ${description} key, but [token] algorithm = ${algorithm} needs ` +
        `${familyDescription(wanted)}: ${fix}`,
      file,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (family === "rsa" && (bits ?? 0) < MIN_RSA_BITS) {
    throw new KeyError(
      "KEY_TOO_WEAK",
      `${file} holds an RSA key of ${bits} bits; at least ${MIN_RSA_BITS} are required: ${fix}`,
      file,
    );
  }
  return family;
}

function familyFor(algorithm: SigningAlgorithm): KeyFamily {
  return algorithm === "ES256" ? "ec-p256" : algorithm === "EdDSA" ? "ed25519" : "rsa";
}

async function readKeyText(file: string, what: string, fix: string): Promise<string> {
  let buffer: Buffer;
  try {
    buffer = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "does not exist"
        : code === "EACCES"
          ? "is not readable by this user"
          : code === "EISDIR"
            ? "is a directory"
            : `cannot be read (${code ?? String(error)})`;
    throw new KeyError("KEY_FILE_UNREADABLE", `the ${what} ${file} ${reason}: ${fix}`, file);
  }
  if (buffer.length > MAX_KEY_FILE_BYTES) {
    throw new KeyError(
      "KEY_FILE_MALFORMED",
      `the ${what} ${file} is too large to be a key: ${fix}`,
      file,
    );
  }
  return buffer.toString("utf8");
}

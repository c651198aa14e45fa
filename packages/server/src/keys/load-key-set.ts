import { createPublicKey, type KeyObject } from "node:crypto";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { formatOpenSshPublicKey, type SigningAlgorithm } from "@tokenleader/client";
import { defaultAlgorithmFor, describeKey, type KeyFamily, keyFamilyOf } from "./algorithms.js";
import { generateSigningKeyPair } from "./generate-key-pair.js";
import { KeyError } from "./key-error.js";
import {
  createKeySet,
  createSigningKey,
  createVerificationKey,
  type KeySet,
  type VerificationKey,
} from "./key-set.js";
import {
  checkKeyFits,
  readAnyPublicKeyFile,
  readPrivateKeyFile,
  readPublicKeyFile,
} from "./read-key-files.js";
import { writePublicFileAtomic, writeSecretFileAtomic } from "./secret-file.js";

// Where the signing key comes from, in order:
// 1. `[token] private_key_file_location` (+ `public_key_file_location`, checked to match);
// 2. otherwise a key pair kept in `<data dir>/keys/`, generated there on first start.
// Public keys in `<data dir>/keys/previous/` (OpenSSH or PEM) stay valid for verification and
// in the JWKS: that is how a key is rotated without invalidating the tokens already issued.

export interface KeySettings {
  privateKeyFile: string | null;
  publicKeyFile: string | null;
  algorithm: SigningAlgorithm;
  dataDir: string;
  /** Bits of a generated RSA key (`[token] rsa_key_bits`; default DEFAULT_RSA_KEY_BITS). */
  rsaKeyBits?: number;
}

export interface LoadedKeys {
  keySet: KeySet;
  /** Set when this call generated the key pair (first start). */
  generated: { privateKeyFile: string; publicKeyFile: string } | null;
}

export function keysDirectory(dataDir: string): string {
  return join(dataDir, "keys");
}

export function generatedKeyFiles(
  dataDir: string,
  family: KeyFamily,
): { privateKeyFile: string; publicKeyFile: string } {
  const base = join(keysDirectory(dataDir), `${family}-signing-key`);
  return { privateKeyFile: `${base}.pem`, publicKeyFile: `${base}.pub` };
}

export async function loadKeySet(settings: KeySettings): Promise<LoadedKeys> {
  const { algorithm } = settings;
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  let source: string;
  let generated: LoadedKeys["generated"] = null;

  if (settings.privateKeyFile) {
    source = settings.privateKeyFile;
    privateKey = await readPrivateKeyFile(settings.privateKeyFile, algorithm);
    const derived = createPublicKey(privateKey);
    if (settings.publicKeyFile) {
      publicKey = await readPublicKeyFile(
        settings.publicKeyFile,
        algorithm,
        settings.privateKeyFile,
      );
      if (!derived.equals(publicKey)) {
        throw new KeyError(
          "KEY_PAIR_MISMATCH",
          `the token public key ${settings.publicKeyFile} does not belong to the private key ` +
            `${settings.privateKeyFile}; write the matching one with: ` +
            `ssh-keygen -y -f ${settings.privateKeyFile} > ${settings.publicKeyFile}`,
          settings.publicKeyFile,
        );
      }
    } else {
      publicKey = derived;
    }
  } else if (settings.publicKeyFile) {
    throw new KeyError(
      "KEY_CONFIG_INCOMPLETE",
      `[token] public_key_file_location is set (${settings.publicKeyFile}) but ` +
        "private_key_file_location is not; the server needs the private key to sign tokens: " +
        "set private_key_file_location, or remove both to let the server generate a key pair",
      settings.publicKeyFile,
    );
  } else {
    const files = generatedKeyFiles(settings.dataDir, keyFamilyOf(algorithm));
    source = files.privateKeyFile;
    const existing = await fileExists(files.privateKeyFile);
    if (!existing) {
      const pair = await generateSigningKeyPair(keyFamilyOf(algorithm), settings.rsaKeyBits);
      const pem = pair.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
      // Exclusive: when two servers share a data dir and start together, one key wins for both.
      if (await writeSecretFileAtomic(files.privateKeyFile, pem, { exclusive: true })) {
        generated = files;
      }
    }
    privateKey = await readPrivateKeyFile(files.privateKeyFile, algorithm);
    publicKey = createPublicKey(privateKey);
    if (generated || !(await fileExists(files.publicKeyFile))) {
      const line = `${formatOpenSshPublicKey(publicKey, "tokenleader-signing-key")}\n`;
      await writePublicFileAtomic(files.publicKeyFile, line);
    }
  }

  const signingKey = await createSigningKey(privateKey, publicKey, algorithm, source);
  const retired = await loadRetiredKeys(settings.dataDir, algorithm);
  return { keySet: createKeySet(signingKey, retired), generated };
}

export async function loadRetiredKeys(
  dataDir: string,
  current: SigningAlgorithm,
): Promise<VerificationKey[]> {
  const dir = join(keysDirectory(dataDir), "previous");
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => !name.startsWith(".")).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new KeyError("KEY_FILE_UNREADABLE", `the key directory ${dir} cannot be read`, dir);
  }
  const keys: VerificationKey[] = [];
  for (const name of names) {
    const file = join(dir, name);
    const key = await readRetiredKey(file, current);
    keys.push(await createVerificationKey(key.publicKey, key.algorithm, file));
  }
  return keys;
}

async function readRetiredKey(
  file: string,
  current: SigningAlgorithm,
): Promise<{ publicKey: KeyObject; algorithm: SigningAlgorithm }> {
  const fix = "remove it from the previous/ key directory";
  const publicKey = await readAnyPublicKeyFile(file, fix);
  const { family, description } = describeKey(publicKey);
  if (!family) {
    throw new KeyError(
      "KEY_WRONG_TYPE",
      `the retired public key ${file} is an unsupported ${description} key: ${fix}`,
      file,
    );
  }
  const algorithm = defaultAlgorithmFor(family, current);
  checkKeyFits(publicKey, algorithm, file, fix);
  return { publicKey, algorithm };
}

export async function fileExists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw new KeyError("KEY_FILE_UNREADABLE", `the key file ${file} cannot be checked`, file);
  }
}

import type { KeyObject } from "node:crypto";
import type { Database } from "../db/index.js";
import { keyFamilyOf } from "./algorithms.js";
import { type DeploymentKeys, decodeDeploymentKeys, keySetAt } from "./deployment-keys.js";
import { generateSigningKeyPair } from "./generate-key-pair.js";
import type { KeyEncryptionKey } from "./key-encryption-key.js";
import { KeyError } from "./key-error.js";
import { signingKeyAt } from "./key-lifecycle.js";
import { createVerificationKey, type KeySet } from "./key-set.js";
import {
  fileExists,
  generatedKeyFiles,
  type KeySettings,
  loadKeySet,
  loadRetiredKeys,
} from "./load-key-set.js";
import { encryptPrivateKey } from "./private-key-cipher.js";
import {
  insertSigningKeyIfAbsent,
  listSigningKeys,
  type StoredSigningKey,
} from "./signing-key-store.js";

// The deployment's keys come from the database, so every server process signs with the same key
// and publishes the same JWKS. On an empty table the first process stores the first key: the
// configured key file, else a key pair an earlier version generated in the data directory, else
// a new one (kept only in the database, never written to disk in clear).

export interface LoadedDatabaseKeys {
  /** The key set in force now. */
  keySet: KeySet;
  /** Every key of the deployment, decoded: what a KeyRing works the key set out from. */
  keys: DeploymentKeys;
  /** Set when this process stored the deployment's first key: where it came from. */
  stored: { origin: string } | null;
  /** A configured key file that is not the deployment's key (the database wins). */
  ignoredKeyFile: string | null;
  /**
   * Set when the deployment signs with another algorithm than `[token] algorithm` because an
   * operator rotated to it (`adminops keys rotate --algorithm`): worth a warning, not a refusal.
   */
  algorithmWarning: string | null;
}

/** The origin of keys made by `adminops keys rotate` (and its admin API route). */
export const ROTATED_KEY_ORIGIN = "rotated";

export async function loadDatabaseKeySet(
  db: Database,
  settings: KeySettings,
  kek: KeyEncryptionKey,
  now: Date = new Date(),
): Promise<LoadedDatabaseKeys> {
  let rows = await listSigningKeys(db);
  let stored: LoadedDatabaseKeys["stored"] = null;
  if (rows.length === 0) {
    const first = await firstKey(settings);
    const publicKeyPem = first.publicKey.export({ format: "pem", type: "spki" }).toString();
    const { kid } = await createVerificationKey(first.publicKey, settings.algorithm, first.origin);
    const inserted = await insertSigningKeyIfAbsent(db, {
      sequence: 1,
      kid,
      algorithm: settings.algorithm,
      publicKeyPem,
      privateKeyEncrypted: encryptPrivateKey(kek.key, first.privateKey, kid),
      origin: first.origin,
      activatesAt: now,
    });
    if (inserted) stored = { origin: first.origin };
    rows = await listSigningKeys(db);
  }

  const current = signingKeyAt(rows, now);
  let algorithmWarning: string | null = null;
  if (current !== null && current.algorithm !== settings.algorithm) {
    const mismatch =
      `the deployment signs with ${current.algorithm} (key ${current.kid} in the database) but ` +
      `[token] algorithm = ${settings.algorithm}`;
    // A rotation chose the algorithm on purpose; a setting changed by hand expects what only a
    // rotation does.
    if (current.origin !== ROTATED_KEY_ORIGIN) {
      throw new KeyError(
        "KEY_ALGORITHM_MISMATCH",
        `${mismatch}: set algorithm = ${current.algorithm} ` +
          `(a new algorithm needs a new key: adminops keys rotate --algorithm ${settings.algorithm})`,
      );
    }
    algorithmWarning = `${mismatch}, which only chooses the algorithm of new keys: set algorithm = ${current.algorithm} to keep it`;
  }
  // Public keys an operator keeps in <data dir>/keys/previous/ stay accepted, as before.
  const extra = await loadRetiredKeys(settings.dataDir, settings.algorithm);
  const keys = await decodeDeploymentKeys(rows, kek, extra);
  const { keySet } = keySetAt(keys, now);

  const ignoredKeyFile =
    settings.privateKeyFile && !stored && !(await keyFileIsStored(settings, rows))
      ? settings.privateKeyFile
      : null;
  return { keySet, keys, stored, ignoredKeyFile, algorithmWarning };
}

async function firstKey(
  settings: KeySettings,
): Promise<{ privateKey: KeyObject; publicKey: KeyObject; origin: string }> {
  const family = keyFamilyOf(settings.algorithm);
  const fromFiles =
    settings.privateKeyFile !== null ||
    settings.publicKeyFile !== null ||
    (await fileExists(generatedKeyFiles(settings.dataDir, family).privateKeyFile));
  if (fromFiles) {
    // Reads and checks the files (pair, type, size) exactly as a key file always was.
    const { signingKey } = (await loadKeySet(settings)).keySet;
    return {
      privateKey: signingKey.privateKey,
      publicKey: signingKey.publicKey,
      origin: `imported:${signingKey.source}`,
    };
  }
  const pair = await generateSigningKeyPair(family, settings.rsaKeyBits);
  return { ...pair, origin: "generated" };
}

async function keyFileIsStored(
  settings: KeySettings,
  rows: readonly StoredSigningKey[],
): Promise<boolean> {
  const { signingKey } = (await loadKeySet(settings)).keySet;
  return rows.some((row) => row.kid === signingKey.kid);
}

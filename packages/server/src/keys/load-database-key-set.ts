import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import type { SigningAlgorithm } from "@tokenleader/client";
import type { Database } from "../db/index.js";
import { keyFamilyOf } from "./algorithms.js";
import { generateSigningKeyPair } from "./generate-key-pair.js";
import type { KeyEncryptionKey } from "./key-encryption-key.js";
import { KeyError } from "./key-error.js";
import {
  createKeySet,
  createSigningKey,
  createVerificationKey,
  type KeySet,
  type VerificationKey,
} from "./key-set.js";
import {
  fileExists,
  generatedKeyFiles,
  type KeySettings,
  loadKeySet,
  loadRetiredKeys,
} from "./load-key-set.js";
import { decryptPrivateKey, encryptPrivateKey } from "./private-key-cipher.js";
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
  keySet: KeySet;
  /** Set when this process stored the deployment's first key: where it came from. */
  stored: { origin: string } | null;
  /** A configured key file that is not the deployment's key (the database wins). */
  ignoredKeyFile: string | null;
}

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

  const current = currentKey(rows, now);
  if (current.algorithm !== settings.algorithm) {
    throw new KeyError(
      "KEY_ALGORITHM_MISMATCH",
      `the deployment signs with ${current.algorithm} (key ${current.kid} in the database) but ` +
        `[token] algorithm = ${settings.algorithm}: set algorithm = ${current.algorithm} ` +
        "(a new algorithm needs a new key: a key rotation)",
    );
  }
  const pem = decryptPrivateKey(kek.key, current.privateKeyEncrypted, current.kid);
  if (pem === null) {
    throw new KeyError(
      "KEY_ENCRYPTION_KEY_WRONG",
      `the signing keys in the database were encrypted with another key-encryption key than the ` +
        `one from ${kek.source}: set ${kek.setting} to the key-encryption key the deployment's ` +
        "other instances use (every instance must share one)",
      kek.source,
    );
  }
  const source = `database (key ${current.sequence}, ${current.origin})`;
  const signingKey = await createSigningKey(
    createPrivateKey({ key: pem, format: "pem" }),
    createPublicKey(current.publicKeyPem),
    current.algorithm as SigningAlgorithm,
    source,
  );
  const published: VerificationKey[] = [];
  for (const row of rows) {
    if (row === current || (row.retiredAt !== null && row.retiredAt <= now)) continue;
    published.push(
      await createVerificationKey(
        createPublicKey(row.publicKeyPem),
        row.algorithm as SigningAlgorithm,
        `database (key ${row.sequence}, ${row.origin})`,
      ),
    );
  }
  // Public keys an operator keeps in <data dir>/keys/previous/ stay accepted, as before.
  published.push(...(await loadRetiredKeys(settings.dataDir, settings.algorithm)));

  const ignoredKeyFile =
    settings.privateKeyFile && !stored && !(await keyFileIsStored(settings, rows))
      ? settings.privateKeyFile
      : null;
  return { keySet: createKeySet(signingKey, published), stored, ignoredKeyFile };
}

/**
 * The newest key that has become active and is not retired. Should none be active yet by this
 * host's clock (a clock a little behind the one that stored the first key), the oldest key not
 * retired: signing with it is what every other instance does too.
 */
function currentKey(rows: readonly StoredSigningKey[], now: Date): StoredSigningKey {
  const usable = rows.filter((row) => row.retiredAt === null);
  const active = usable.filter((row) => row.activatesAt <= now);
  const current = active[active.length - 1] ?? usable[0];
  if (!current) {
    throw new KeyError(
      "KEY_NONE_ACTIVE",
      "every signing key in the database is retired: the deployment has no key to sign with; " +
        "add one with adminops keys",
    );
  }
  return current;
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
  const pair = await generateSigningKeyPair(family);
  return { ...pair, origin: "generated" };
}

async function keyFileIsStored(
  settings: KeySettings,
  rows: readonly StoredSigningKey[],
): Promise<boolean> {
  const { signingKey } = (await loadKeySet(settings)).keySet;
  return rows.some((row) => row.kid === signingKey.kid);
}

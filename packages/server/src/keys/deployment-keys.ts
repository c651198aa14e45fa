import { createPrivateKey, createPublicKey } from "node:crypto";
import type { SigningAlgorithm } from "@tokenleader/client";
import type { KeyEncryptionKey } from "./key-encryption-key.js";
import { KeyError } from "./key-error.js";
import { isPublishedAt, type KeyTimes, nextKeyChangeAfter, signingKeyAt } from "./key-lifecycle.js";
import {
  createKeySet,
  createSigningKey,
  createVerificationKey,
  type KeySet,
  type SigningKey,
  type VerificationKey,
} from "./key-set.js";
import { decryptPrivateKey } from "./private-key-cipher.js";
import type { StoredSigningKey } from "./signing-key-store.js";

// Every key of the deployment as this process holds it in memory: decoded once per database read,
// so that which key signs and which are published can be worked out again at any moment (an
// activation, the end of a retired key's publication) without touching the database.

export interface DeploymentKey extends KeyTimes {
  readonly kid: string;
  readonly origin: string;
  /** With its private half while it may still sign (not retired); public only once retired. */
  readonly key: SigningKey | VerificationKey;
}

export interface DeploymentKeys {
  readonly keys: readonly DeploymentKey[];
  /** Public keys an operator keeps in <data dir>/keys/previous/: always accepted. */
  readonly extra: readonly VerificationKey[];
}

/**
 * Decodes the stored keys. Keys already decoded in `previous` (same kid, same row) are reused.
 * Throws KeyError KEY_ENCRYPTION_KEY_WRONG when a key that may sign cannot be decrypted.
 */
export async function decodeDeploymentKeys(
  rows: readonly StoredSigningKey[],
  kek: KeyEncryptionKey,
  extra: readonly VerificationKey[],
  previous?: DeploymentKeys,
): Promise<DeploymentKeys> {
  const known = new Map(previous?.keys.map((key) => [key.kid, key.key]));
  const keys: DeploymentKey[] = [];
  for (const row of rows) {
    const mayStillSign = row.retiredAt === null;
    const reusable = known.get(row.kid);
    const key =
      reusable && (!mayStillSign || "privateKey" in reusable)
        ? reusable
        : await decodeKey(row, kek, mayStillSign);
    keys.push(
      Object.freeze({
        sequence: row.sequence,
        kid: row.kid,
        origin: row.origin,
        activatesAt: row.activatesAt,
        retiredAt: row.retiredAt,
        key,
      }),
    );
  }
  return Object.freeze({ keys: Object.freeze(keys), extra });
}

async function decodeKey(
  row: StoredSigningKey,
  kek: KeyEncryptionKey,
  withPrivateKey: boolean,
): Promise<SigningKey | VerificationKey> {
  const source = `database (key ${row.sequence}, ${row.origin})`;
  const algorithm = row.algorithm as SigningAlgorithm;
  const publicKey = createPublicKey(row.publicKeyPem);
  if (!withPrivateKey) return createVerificationKey(publicKey, algorithm, source);
  const pem = decryptPrivateKey(kek.key, row.privateKeyEncrypted, row.kid);
  if (pem === null) {
    throw new KeyError(
      "KEY_ENCRYPTION_KEY_WRONG",
      `the signing keys in the database were encrypted with another key-encryption key than the ` +
        `one from ${kek.source}: set ${kek.setting} to the key-encryption key the deployment's ` +
        "other instances use (every instance must share one)",
      kek.source,
    );
  }
  return createSigningKey(
    createPrivateKey({ key: pem, format: "pem" }),
    publicKey,
    algorithm,
    source,
  );
}

export interface KeySetAt {
  readonly keySet: KeySet;
  /** When the key set must be worked out again (a key activates or leaves the JWKS); null: never. */
  readonly changesAt: Date | null;
}

/** The key set in force at `now`. Throws KeyError KEY_NONE_ACTIVE when every key is retired. */
export function keySetAt(keys: DeploymentKeys, now: Date): KeySetAt {
  const signing = signingKeyAt(keys.keys, now);
  if (signing === null || !("privateKey" in signing.key)) {
    throw new KeyError(
      "KEY_NONE_ACTIVE",
      "every signing key in the database is retired: the deployment has no key to sign with; " +
        "add one with adminops keys rotate",
    );
  }
  const published = keys.keys
    .filter((key) => key !== signing && isPublishedAt(key, now))
    .map((key) => key.key);
  return {
    keySet: createKeySet(signing.key, [...published, ...keys.extra]),
    changesAt: nextKeyChangeAfter(keys.keys, now),
  };
}

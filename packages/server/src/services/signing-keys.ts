import { SIGNING_ALGORITHMS, type SigningAlgorithm } from "@tokenleader/client";
import { currentAuditActor, recordAuditEventIn } from "../audit/index.js";
import type { Settings } from "../config/settings-types.js";
import type { Database } from "../db/index.js";
import { AppError, isUniqueViolation, toAppError } from "../errors.js";
import { keyFamilyOf } from "../keys/algorithms.js";
import { generateSigningKeyPair } from "../keys/generate-key-pair.js";
import type { KeyEncryptionKey } from "../keys/key-encryption-key.js";
import { KeyError } from "../keys/key-error.js";
import { type KeyState, keyStateAt, signingKeyAt } from "../keys/key-lifecycle.js";
import { createVerificationKey } from "../keys/key-set.js";
import { ROTATED_KEY_ORIGIN } from "../keys/load-database-key-set.js";
import { decryptPrivateKey, encryptPrivateKey } from "../keys/private-key-cipher.js";
import { retiredKeyPublishedUntil } from "../keys/rotation-timing.js";
import { sendSigningKeyNotice } from "../keys/signing-key-notices.js";
import {
  findSigningKey,
  insertSigningKey,
  listSigningKeys,
  listSigningKeysIn,
  retireSigningKey,
  type StoredSigningKey,
} from "../keys/signing-key-store.js";
import { inTransaction, reading } from "./transactions.js";

// Key rotation without downtime, the one implementation behind `adminops keys list|rotate|retire`
// and the admin API's GET /list/keys, POST /rotate/key, POST /retire/key:
// - rotate: a new key, sealed under the key-encryption key, published at once and signing from
//   `now + [token] key_rotation_lead_seconds`, so verifiers know it before its first token;
// - retire: the key stops signing at once and stays published until the last token it can have
//   signed has expired (rotation-timing.ts), then leaves the JWKS and its tokens are refused;
// - list: every key with its state now.
// Each change is one transaction with its audit event and (PostgreSQL) the notice that makes every
// instance re-read the keys at once.

/** The longest lead time or publication an operator can ask for: a week. */
export const MAX_KEY_SECONDS = 604_800;

export interface SigningKeyInfo {
  readonly sequence: number;
  readonly kid: string;
  readonly algorithm: string;
  readonly state: KeyState;
  readonly origin: string;
  readonly createdAt: string;
  /** Signs from then on (unless retired). */
  readonly activatesAt: string;
  /** Retired keys: when they leave the JWKS (and their tokens are refused). Null otherwise. */
  readonly publishedUntil: string | null;
}

export interface RotateOptions {
  /** Default: the algorithm of the key signing now. */
  readonly algorithm?: string;
  /** Seconds before the new key signs; default `[token] key_rotation_lead_seconds`. */
  readonly leadSeconds?: number;
}

export interface RetireOptions {
  /**
   * Seconds the key stays published, instead of until its last token has expired: tokens it
   * signed that live longer are refused from then on. 0 removes it at once (a leaked key).
   */
  readonly publishedForSeconds?: number;
}

export interface SigningKeyServiceOptions {
  /** Needed by rotate (the new private key is sealed with it); list and retire work without. */
  readonly kek: KeyEncryptionKey | null;
  /** Who the audit trail names when no admin API request set an actor. */
  readonly actor?: string;
  /** Run after a change is committed (the server re-reads its own keys at once). */
  readonly afterChange?: () => Promise<void>;
  readonly now?: () => number;
}

export type SigningKeyService = ReturnType<typeof createSigningKeyService>;

export function createSigningKeyService(
  db: Database,
  settings: Pick<Settings, "token" | "login">,
  options: SigningKeyServiceOptions,
) {
  const now = () => new Date((options.now ?? Date.now)());
  const actor = () => currentAuditActor() ?? { actor: options.actor ?? "server" };

  const afterChange = async () => {
    // The change is committed: a failed re-read is the refresher's to retry, not the caller's.
    await options.afterChange?.().catch(() => {});
  };

  return {
    async list(): Promise<SigningKeyInfo[]> {
      const rows = await reading(() => listSigningKeys(db));
      const at = now();
      const signing = signingKeyAt(rows, at);
      return rows.map((row) => describeKey(row, signing, at));
    },

    async rotate(request: RotateOptions = {}): Promise<SigningKeyInfo> {
      const leadSeconds = checkSeconds(
        request.leadSeconds ?? settings.token.keyRotationLeadSeconds,
        "leadSeconds",
      );
      const kek = options.kek;
      if (kek === null) {
        throw new AppError(
          "NOT_READY",
          "key rotation needs the key-encryption key, and this server keeps its keys in files",
        );
      }
      const rows = await reading(() => listSigningKeys(db));
      const at = now();
      const current = signingKeyAt(rows, at);
      if (current === null) {
        throw new AppError(
          "KEY_STILL_NEEDED",
          "the deployment has no signing key yet: start tokenleader-server once, it creates the first",
        );
      }
      assertKekOpens(kek, current);
      const algorithm = request.algorithm
        ? checkAlgorithm(request.algorithm)
        : (current.algorithm as SigningAlgorithm);

      const pair = await generateSigningKeyPair(keyFamilyOf(algorithm), settings.token.rsaKeyBits);
      const { kid } = await createVerificationKey(pair.publicKey, algorithm, ROTATED_KEY_ORIGIN);
      const activatesAt = new Date(at.getTime() + leadSeconds * 1000);
      let stored: StoredSigningKey;
      try {
        stored = await db.prisma.$transaction(async (tx) => {
          const all = await listSigningKeysIn(tx);
          const key = await insertSigningKey(tx, {
            sequence: (all[all.length - 1]?.sequence ?? 0) + 1,
            kid,
            algorithm,
            publicKeyPem: pair.publicKey.export({ format: "pem", type: "spki" }).toString(),
            privateKeyEncrypted: encryptPrivateKey(kek.key, pair.privateKey, kid),
            origin: ROTATED_KEY_ORIGIN,
            activatesAt,
          });
          await recordAuditEventIn(tx, {
            type: "key.rotated",
            outcome: "success",
            ...auditActor(actor()),
            target: `key:${kid}`,
            details: { kid, algorithm, activatesAt: activatesAt.toISOString() },
          });
          await sendSigningKeyNotice(tx, db.provider, { kid, change: "rotated" });
          return key;
        });
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new AppError(
            "ALREADY_EXISTS",
            "another key rotation was stored at the same moment: list the keys, then rotate again if still needed",
            { cause: error },
          );
        }
        throw toAppError(error, "signing key");
      }
      await afterChange();
      const after = [...rows, stored];
      return describeKey(stored, signingKeyAt(after, at), at);
    },

    async retire(kid: string, request: RetireOptions = {}): Promise<SigningKeyInfo> {
      const publishedFor =
        request.publishedForSeconds === undefined
          ? undefined
          : checkSeconds(request.publishedForSeconds, "publishedForSeconds");
      const at = now();
      const until =
        publishedFor === undefined
          ? retiredKeyPublishedUntil(at, settings)
          : new Date(at.getTime() + publishedFor * 1000);
      const retired = await inTransaction(db, `signing key ${kid}`, async (tx) => {
        const key = await findSigningKey(tx, kid);
        if (key === null) {
          throw new AppError("NOT_FOUND", `no signing key has kid "${kid}"`, { field: "kid" });
        }
        // Retiring again can only shorten the publication (a key found leaked after retirement).
        if (key.retiredAt !== null && key.retiredAt <= until) return key;
        if (key.retiredAt === null) assertAnotherKeySigns(await listSigningKeysIn(tx), key, at);
        const updated = await retireSigningKey(tx, kid, until);
        await recordAuditEventIn(tx, {
          type: "key.retired",
          outcome: "success",
          ...auditActor(actor()),
          target: `key:${kid}`,
          details: { kid, publishedUntil: until.toISOString() },
        });
        await sendSigningKeyNotice(tx, db.provider, { kid, change: "retired" });
        return updated;
      });
      await afterChange();
      return describeKey(retired, null, at);
    },
  };
}

function describeKey(
  row: StoredSigningKey,
  signing: StoredSigningKey | null,
  at: Date,
): SigningKeyInfo {
  return {
    sequence: row.sequence,
    kid: row.kid,
    algorithm: row.algorithm,
    state: keyStateAt(row, signing, at),
    origin: row.origin,
    createdAt: row.createdAt.toISOString(),
    activatesAt: row.activatesAt.toISOString(),
    publishedUntil: row.retiredAt?.toISOString() ?? null,
  };
}

function auditActor(caller: { actor: string; sourceAddress?: string | null }) {
  return { actor: caller.actor, sourceAddress: caller.sourceAddress ?? null };
}

/** Refuses a retirement that would leave nothing to sign with. */
function assertAnotherKeySigns(
  rows: readonly StoredSigningKey[],
  key: StoredSigningKey,
  at: Date,
): void {
  const others = rows.filter((row) => row.kid !== key.kid && row.retiredAt === null);
  if (others.some((row) => row.activatesAt <= at)) return;
  const next = others.sort((a, b) => a.activatesAt.getTime() - b.activatesAt.getTime())[0];
  throw new AppError(
    "KEY_STILL_NEEDED",
    next
      ? `key ${key.kid} is the only key signing now: the next key (${next.kid}) signs from ` +
          `${next.activatesAt.toISOString()}; retire ${key.kid} after that`
      : `key ${key.kid} is the deployment's only signing key: rotate first (adminops keys rotate), ` +
          "then retire it once the new key signs",
    { field: "kid" },
  );
}

/** A KEK that cannot open the current key would seal the new one where no instance can read it. */
function assertKekOpens(kek: KeyEncryptionKey, current: StoredSigningKey): void {
  if (decryptPrivateKey(kek.key, current.privateKeyEncrypted, current.kid) !== null) return;
  throw new KeyError(
    "KEY_ENCRYPTION_KEY_WRONG",
    `the signing keys in the database were encrypted with another key-encryption key than the ` +
      `one from ${kek.source}: set ${kek.setting} to the deployment's key-encryption key ` +
      "(a new key sealed with this one could not be read by the server)",
    kek.source,
  );
}

function checkAlgorithm(value: string): SigningAlgorithm {
  const match = SIGNING_ALGORITHMS.find((name) => name.toLowerCase() === value.toLowerCase());
  if (match) return match;
  throw new AppError(
    "VALIDATION_FAILED",
    `algorithm "${value}" is not supported: use one of ${SIGNING_ALGORITHMS.join(", ")}`,
    { field: "algorithm" },
  );
}

function checkSeconds(value: number, field: string): number {
  if (Number.isSafeInteger(value) && value >= 0 && value <= MAX_KEY_SECONDS) return value;
  throw new AppError(
    "VALIDATION_FAILED",
    `${field} must be a whole number of seconds from 0 to ${MAX_KEY_SECONDS}, got ${value}`,
    { field },
  );
}

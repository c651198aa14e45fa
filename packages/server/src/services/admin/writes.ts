// How every admin write runs: one transaction, the credentials hooks told which users it
// changed (inside the transaction, then once more after the commit), and an audit event with
// the actor and the target written in that same transaction (a change and its record commit
// together or not at all).
import {
  type AdminAction,
  type AuditDetails,
  adminTarget,
  currentAuditActor,
  recordAuditEventIn,
} from "../../audit/index.js";
import type { DatabaseProvider } from "../../db/database-url.js";
import type { Database } from "../../db/open-database.js";
import { describeEntity, type EntityKind } from "../entity-kinds.js";
import { inTransaction, type TransactionOptions, type Tx } from "../transactions.js";

export type CredentialsChange =
  | "deleted"
  | "password_changed"
  | "roles_changed"
  /** An import moved the user to another wfc: the claims of their tokens change. */
  | "wfc_changed"
  /** Nothing changed but the tokens: "log out everywhere" (a leaked token, a lost laptop). */
  | "tokens_revoked";

export interface AdminServiceHooks {
  /**
   * Called inside the transaction that deletes a user or changes their password or roles
   * (also for each user losing a deleted role). Throwing rolls the change back. The login work
   * revokes the user's sessions here.
   */
  onUserCredentialsChanged?: (
    username: string,
    change: { reason: CredentialsChange; tx: Tx; provider: DatabaseProvider },
  ) => Promise<void> | void;
  /**
   * Called after the transaction that changed these users has committed (never after a
   * rollback): caches holding answers about their tokens can now be dropped for good.
   */
  afterUserCredentialsCommitted?: (usernames: readonly string[]) => void;
}

/** What an admin write does to which record: its audit event, and the subject of its errors. */
export interface AdminChange {
  kind: EntityKind;
  name: string;
  action: AdminAction;
  details?: AuditDetails;
}

export interface AdminWrites {
  /**
   * inTransaction with the change's audit event recorded at its end, then the after-commit hook
   * for the users whose credentials it changed.
   */
  changing<T>(change: AdminChange, work: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Many changes in ONE transaction (an import): `work` records each change it makes with
   * `record` (its audit event, in the same transaction); all commit together or none does.
   */
  changingMany<T>(
    subject: string,
    work: (tx: Tx, record: (change: AdminChange) => Promise<void>) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T>;
  /** Inside `changing`: these users' credentials change (their sessions and tokens end). */
  credentialsChanged(tx: Tx, usernames: string[], reason: CredentialsChange): Promise<void>;
}

/**
 * `defaultActor` is who makes changes when no request set an actor (runAsAuditActor): adminops
 * passes the OS user; the server's own start-up work is "server".
 */
export function createAdminWrites(
  db: Database,
  hooks: AdminServiceHooks,
  defaultActor: string,
): AdminWrites {
  // Users whose credentials a running transaction changed, for the after-commit hook.
  const changedIn = new WeakMap<Tx, string[]>();

  const record = async (tx: Tx, change: AdminChange) => {
    const caller = currentAuditActor();
    await recordAuditEventIn(tx, {
      type: `${change.kind}.${change.action}`,
      outcome: "success",
      actor: caller?.actor ?? defaultActor,
      target: adminTarget(change.kind, change.name),
      sourceAddress: caller?.sourceAddress ?? null,
      ...(change.details ? { details: change.details } : {}),
    });
  };

  const changingMany: AdminWrites["changingMany"] = async (subject, work, options) => {
    const changed: string[] = [];
    const result = await inTransaction(
      db,
      subject,
      async (tx) => {
        changedIn.set(tx, changed);
        return work(tx, (change) => record(tx, change));
      },
      options,
    );
    if (changed.length > 0) hooks.afterUserCredentialsCommitted?.(changed);
    return result;
  };

  return {
    changing: (change, work) =>
      changingMany(describeEntity(change.kind, change.name), async (tx, recordChange) => {
        const value = await work(tx);
        await recordChange(change);
        return value;
      }),
    changingMany,
    async credentialsChanged(tx, usernames, reason) {
      changedIn.get(tx)?.push(...usernames);
      if (!hooks.onUserCredentialsChanged) return;
      for (const username of usernames) {
        await hooks.onUserCredentialsChanged(username, { reason, tx, provider: db.provider });
      }
    },
  };
}

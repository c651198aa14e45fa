// How every admin write runs: one transaction, and the credentials hooks told which users it
// changed (inside the transaction, then once more after the commit).
import type { Database } from "../../db/open-database.js";
import { inTransaction, type Tx } from "../transactions.js";

export type CredentialsChange =
  | "deleted"
  | "password_changed"
  | "roles_changed"
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
    change: { reason: CredentialsChange; tx: Tx },
  ) => Promise<void> | void;
  /**
   * Called after the transaction that changed these users has committed (never after a
   * rollback): caches holding answers about their tokens can now be dropped for good.
   */
  afterUserCredentialsCommitted?: (usernames: readonly string[]) => void;
}

export interface AdminWrites {
  /** inTransaction, then the after-commit hook for the users whose credentials it changed. */
  changing<T>(subject: string, work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Inside `changing`: these users' credentials change (their sessions and tokens end). */
  credentialsChanged(tx: Tx, usernames: string[], reason: CredentialsChange): Promise<void>;
}

export function createAdminWrites(db: Database, hooks: AdminServiceHooks): AdminWrites {
  // Users whose credentials a running transaction changed, for the after-commit hook.
  const changedIn = new WeakMap<Tx, string[]>();

  return {
    async changing(subject, work) {
      const changed: string[] = [];
      const result = await inTransaction(db, subject, (tx) => {
        changedIn.set(tx, changed);
        return work(tx);
      });
      if (changed.length > 0) hooks.afterUserCredentialsCommitted?.(changed);
      return result;
    },
    async credentialsChanged(tx, usernames, reason) {
      changedIn.get(tx)?.push(...usernames);
      if (!hooks.onUserCredentialsChanged) return;
      for (const username of usernames) {
        await hooks.onUserCredentialsChanged(username, { reason, tx });
      }
    },
  };
}

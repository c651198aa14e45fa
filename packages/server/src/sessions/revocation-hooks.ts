// Plugs revocation into the admin service: deleting a database user, or changing their password
// or roles, ends their cookie-login sessions and their bearer tokens in the same transaction (if
// the change rolls back, so does the revocation). A deleted user's bearer tokens need nothing
// stored: BearerTokenCheck finds no user.

import type { Database } from "../db/index.js";
import type { AdminServiceHooks } from "../services/index.js";
import { revokeUserSessions } from "./session-store.js";
import { sessionStoreFor } from "./session-store-registry.js";

/**
 * Pass to `createAdminService(db, settings, sessionRevocationHooks(db))`. With the server's `db`
 * the in-process caches forget the user at once; without one (adminops, a separate process) only
 * the rows change, and servers see it within their cache time (2 s).
 */
export function sessionRevocationHooks(db?: Database): AdminServiceHooks {
  return {
    async onUserCredentialsChanged(username, { reason, tx }) {
      if (reason !== "deleted") {
        await tx.user.updateMany({ where: { username }, data: { tokensValidAfter: new Date() } });
      }
      if (db) await sessionStoreFor(db).revokeUser(username, "database", reason, tx);
      else await revokeUserSessions(tx, username, "database", reason, new Date());
    },
    // A check made while the transaction was open may have cached "active" again.
    afterUserCredentialsCommitted(usernames) {
      if (!db) return;
      const store = sessionStoreFor(db);
      for (const username of usernames) store.forgetUser(username);
    },
  };
}

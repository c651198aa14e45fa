// Plugs revocation into the admin service: deleting a database user, or changing their password
// or roles, ends their cookie-login sessions and their bearer tokens in the same transaction (if
// the change rolls back, so does the revocation). A deleted user's bearer tokens need nothing
// stored: BearerTokenCheck finds no user. On PostgreSQL the same transaction notifies every
// server process (revocation-notices.ts), adminops included.

import type { AdminServiceHooks } from "../services/index.js";
import { revokeUserSessions, type SessionStore } from "./session-store.js";

/**
 * Pass to `createAdminService(db, settings, sessionRevocationHooks(sessions))`, and the same
 * `sessions` to buildServer: the server's in-process caches then forget the user at once. Without
 * a store (adminops, a separate process) the rows change and, on PostgreSQL, the servers are
 * notified at once; on SQLite they see it within their cache time (2 s).
 */
export function sessionRevocationHooks(sessions?: SessionStore): AdminServiceHooks {
  return {
    async onUserCredentialsChanged(username, { reason, tx, provider }) {
      if (reason !== "deleted") {
        await tx.user.updateMany({ where: { username }, data: { tokensValidAfter: new Date() } });
      }
      if (sessions) await sessions.revokeUser(username, "database", reason, tx);
      else await revokeUserSessions(tx, provider, username, "database", reason, new Date());
    },
    // A check made while the transaction was open may have cached "active" again.
    afterUserCredentialsCommitted(usernames) {
      for (const username of usernames) sessions?.forgetUser(username);
    },
  };
}

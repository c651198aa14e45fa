// Plugs revocation into the admin service: deleting a database user, or changing their password
// or roles, ends their cookie-login sessions and their bearer tokens in the same transaction (if
// the change rolls back, so does the revocation). A deleted user's bearer tokens need nothing
// stored: BearerTokenCheck finds no user.

import type { AdminServiceHooks } from "../services/index.js";
import { revokeUserSessions, type SessionStore } from "./session-store.js";

/**
 * Pass to `createAdminService(db, settings, sessionRevocationHooks(sessions))`, and the same
 * `sessions` to buildServer: the server's in-process caches then forget the user at once. Without
 * a store (adminops, a separate process) only the rows change, and servers see it within their
 * cache time (2 s).
 */
export function sessionRevocationHooks(sessions?: SessionStore): AdminServiceHooks {
  return {
    async onUserCredentialsChanged(username, { reason, tx }) {
      if (reason !== "deleted") {
        await tx.user.updateMany({ where: { username }, data: { tokensValidAfter: new Date() } });
      }
      if (sessions) await sessions.revokeUser(username, "database", reason, tx);
      else await revokeUserSessions(tx, username, "database", reason, new Date());
    },
    // A check made while the transaction was open may have cached "active" again.
    afterUserCredentialsCommitted(usernames) {
      for (const username of usernames) sessions?.forgetUser(username);
    },
  };
}

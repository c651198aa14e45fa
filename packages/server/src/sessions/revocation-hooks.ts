// Plugs session revocation into the admin service: deleting a database user, or changing their
// password or roles, ends their cookie-login sessions in the same transaction (if the change
// rolls back, so does the revocation).

import type { Database } from "../db/index.js";
import type { AdminServiceHooks } from "../services/index.js";
import { revokeUserSessions } from "./session-store.js";
import { sessionStoreFor } from "./session-store-registry.js";

/**
 * Pass to `createAdminService(db, settings, sessionRevocationHooks(db))`. With the server's `db`
 * the in-process session cache forgets the user's sessions at once; without one (adminops, a
 * separate process) only the rows change, and servers see it within their cache time (2 s).
 */
export function sessionRevocationHooks(db?: Database): AdminServiceHooks {
  return {
    async onUserCredentialsChanged(username, { reason, tx }) {
      if (db) await sessionStoreFor(db).revokeUser(username, "database", reason, tx);
      else await revokeUserSessions(tx, username, "database", reason, new Date());
    },
  };
}

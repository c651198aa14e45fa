// One SessionStore per open database, found from anywhere that holds the Database: the login
// routes, /token/verify_token and the admin service's revocation hook share its cache, so a
// revocation through any of them is seen by the others at once, without threading a new object
// through the app context.

import type { Database } from "../db/index.js";
import { SessionStore, type SessionStoreOptions } from "./session-store.js";

const stores = new WeakMap<Database, SessionStore>();

/** The store of `db`; created on first use (options apply only then). */
export function sessionStoreFor(db: Database, options?: SessionStoreOptions): SessionStore {
  let store = stores.get(db);
  if (store === undefined) {
    store = new SessionStore(db, options);
    stores.set(db, store);
  }
  return store;
}

// Server-side sessions of the cookie login (table login_session).
export { sessionRevocationHooks } from "./revocation-hooks.js";
export {
  listenForRevocations,
  REVOCATION_LISTENER_NAME,
  type RevocationListener,
} from "./revocation-listener.js";
export {
  type LoginSessionRecord,
  type NewLoginSession,
  type RevokeReason,
  type SessionSource,
  SessionStore,
  type SessionStoreOptions,
} from "./session-store.js";

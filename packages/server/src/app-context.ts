import type { AuditTrail } from "./audit/index.js";
import type { Settings } from "./config/index.js";
import type { Database } from "./db/index.js";
import type { GuessingPolicy } from "./guessing/index.js";
import type { KeySetSource } from "./keys/index.js";
import type { AdminService, SigningKeyService } from "./services/index.js";
import type { SessionStore } from "./sessions/index.js";
import type { TokenIssuer, TokenVerifier } from "./tokens/index.js";

// Everything a route plugin may need, built once at start-up and handed to every plugin, so no
// plugin reads settings, keys or the database on its own.

export interface AppContext {
  readonly settings: Settings;
  readonly db: Database;
  /**
   * The server's keys. Ask `current()` when signing or verifying, never keep what it returns: a
   * key rotation changes the key set while the server runs.
   */
  readonly keys: KeySetSource;
  readonly adminService: AdminService;
  /** Key rotation (list, rotate, retire), shared with `adminops keys`. */
  readonly signingKeys: SigningKeyService;
  /**
   * The server's one store of login sessions, with its BearerTokenCheck (`sessions.bearerTokens`):
   * the login routes, /token/verify_token, the admin enforcer and the admin service's revocation
   * hooks share its caches, so a revocation through any of them is seen by the others at once.
   */
  readonly sessions: SessionStore;
  readonly tokenIssuer: TokenIssuer;
  /** Verifies tokens with the server's own keys (the shared @tokenleader/client verifier). */
  readonly tokenVerifier: TokenVerifier;
  /** The one guessing limit every password check goes through (shared by all processes via the database). */
  readonly guessing: GuessingPolicy;
  /** Records login, token and session events (admin changes record theirs in the service). */
  readonly audit: AuditTrail;
}

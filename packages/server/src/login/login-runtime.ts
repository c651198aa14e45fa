// Start-up and shutdown of the cookie login: opens users.yaml (and ends the sessions of users it
// removes or changes, in the app context's session store), the login-CSRF secret, and the login's
// token issuer and verifier. The routes plugin calls these; they are exported for a server main
// that wants to own the life cycle.

import type { AppContext } from "../app-context.js";
import type { AuditTrail } from "../audit/index.js";
import type { LoginSettings } from "../config/index.js";
import type { KeySetSource } from "../keys/index.js";
import type { SessionStore } from "../sessions/index.js";
import { createTokenVerifier, type TokenVerifier, tokenVerifierOptions } from "../tokens/index.js";
import { createLoginCsrf, type LoginCsrf } from "./csrf.js";
import { loadOrCreateLoginCsrfSecret } from "./csrf-secret.js";
import type { LoginLogger } from "./logger.js";
import { createLoginTokenIssuer, type LoginTokenIssuer } from "./login-tokens.js";
import { createLoginUsers, type LoginUsers } from "./login-users.js";
import { type UsersFileChange, UsersFileStore } from "./users-file/index.js";

/** Ended (expired or revoked) sessions are deleted after a week. */
const ENDED_SESSION_RETENTION_MS = 7 * 86_400_000;
const SESSION_PRUNE_INTERVAL_MS = 6 * 3_600_000;

export interface LoginRuntime {
  readonly login: LoginSettings;
  readonly keys: KeySetSource;
  /** `iss` of login tokens (the server's token issuer). */
  readonly issuer: string;
  readonly usersFile: UsersFileStore | null;
  readonly users: LoginUsers;
  readonly sessions: SessionStore;
  readonly loginCsrf: LoginCsrf;
  readonly tokens: LoginTokenIssuer;
  /** Checks the login's tokens (with the login's clock). */
  readonly tokenVerifier: TokenVerifier;
  readonly logger: LoginLogger;
  /** The app's audit trail (login, logout and refresh-token reuse events). */
  readonly audit: AuditTrail;
  readonly now: () => number;
  /** Stops watching users.yaml (when this runtime opened it). Idempotent. */
  stop(): Promise<void>;
}

export interface StartLoginOptions {
  readonly logger: LoginLogger;
  /**
   * An already open users file (tests, or a main that opens it itself; the caller closes it).
   * Undefined: opened from [local_auth] when enabled. null: no users file.
   */
  readonly usersFile?: UsersFileStore | null;
  /** Milliseconds since the epoch; tests pass a fixed clock. */
  readonly now?: () => number;
}

export async function startLogin(
  context: AppContext,
  options: StartLoginOptions,
): Promise<LoginRuntime> {
  const { settings } = context;
  const { logger } = options;
  const now = options.now ?? Date.now;
  const { sessions } = context;

  const endSessionsOf = async (change: UsersFileChange) => {
    const affected = [
      ...change.removed.map((username) => ({ username, reason: "user-removed" as const })),
      ...change.changed.map((username) => ({ username, reason: "user-changed" as const })),
    ];
    for (const { username, reason } of affected) {
      const ended = await sessions.revokeUser(username, "file", reason);
      if (ended.length > 0) {
        logger.info(
          { username, source: "file", reason, sessions: ended.length },
          `ended ${ended.length} login sessions of users file user '${username}' (${reason})`,
        );
      }
    }
  };

  let usersFile: UsersFileStore | null = null;
  let unsubscribe: (() => void) | null = null;
  let ownsUsersFile = false;
  if (options.usersFile !== undefined) {
    usersFile = options.usersFile;
    if (usersFile) unsubscribe = usersFile.onChange(endSessionsOf);
  } else if (settings.localAuth.enabled && settings.localAuth.usersFile !== null) {
    usersFile = await UsersFileStore.open({
      path: settings.localAuth.usersFile,
      logger,
      argon2: settings.passwords,
      upgradeLegacyHashes: settings.localAuth.upgradeLegacyHashes,
      onChange: endSessionsOf,
    });
    ownsUsersFile = true;
  }

  const loginCsrf = createLoginCsrf(await loadOrCreateLoginCsrfSecret(context.db));
  const tokens = createLoginTokenIssuer({
    signingKey: () => context.keys.current().signingKey,
    issuer: settings.token.issuer,
    accessTtlSeconds: settings.login.accessTtl,
    now,
  });
  const users = createLoginUsers({
    order: settings.login.userOrder,
    adminService: context.adminService,
    usersFile,
    logger,
  });
  logger.info(
    {
      usersFile: usersFile?.path ?? null,
      userOrder: settings.login.userOrder,
      cookieSecure: settings.login.cookieSecure,
      csrfProtect: settings.login.csrfProtect,
    },
    "cookie login enabled",
  );

  // Ended sessions stay a while (audit: who logged out, which were revoked and why), then go.
  const pruneEndedSessions = () =>
    sessions.deleteEnded(ENDED_SESSION_RETENTION_MS).then(
      (deleted) => {
        if (deleted > 0) logger.info({ deleted }, `deleted ${deleted} ended login sessions`);
      },
      (error: unknown) => logger.warn({ err: error }, "could not delete ended login sessions"),
    );
  void pruneEndedSessions();
  const pruneTimer = setInterval(pruneEndedSessions, SESSION_PRUNE_INTERVAL_MS);
  pruneTimer.unref();

  let stopped: Promise<void> | null = null;
  return {
    login: settings.login,
    keys: context.keys,
    issuer: settings.token.issuer,
    usersFile,
    users,
    sessions,
    loginCsrf,
    tokens,
    tokenVerifier: createTokenVerifier(context.keys, {
      ...tokenVerifierOptions(settings.token),
      now,
    }),
    logger,
    audit: context.audit,
    now,
    stop() {
      stopped ??= (async () => {
        clearInterval(pruneTimer);
        unsubscribe?.();
        if (ownsUsersFile && usersFile) {
          usersFile.close();
          await usersFile.settled();
        }
      })();
      return stopped;
    },
  };
}

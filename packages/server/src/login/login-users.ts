// Who may log in: the database users (the admin service) and the users.yaml users, looked up in
// the configured order. A username found in one source is decided there (a wrong password in
// the database does not fall through to the file). Also the live look-up that /refresh and
// /user_status use, so a removed user or changed roles take effect at once.

import type { UserSource } from "../config/index.js";
import type { AdminService, UserRecord, WfcRecord } from "../services/index.js";
import { userToDict } from "../services/index.js";
import type { LoginLogger } from "./logger.js";
import type { LoginSubject, LoginUserSource } from "./login-tokens.js";
import type { AuthenticatedFileUser, UsersFileStore, UsersFileWfc } from "./users-file/index.js";

export interface LoginUser {
  readonly username: string;
  readonly source: LoginUserSource;
  readonly subject: LoginSubject;
  /**
   * Database users: their `tokens_valid_after` (ms; 0 for none) as read with the password check
   * or the user; the session's tokens carry it as `tva` and die when it moves (a password or role
   * change that raced the login). Undefined for users.yaml users.
   */
  readonly tokensValidAfterMs?: number;
}

export type LoginAttempt =
  | { ok: true; user: LoginUser }
  | { ok: false; reason: "unknown-user" | "wrong-password" };

export interface LoginUsers {
  authenticate(username: string, password: string): Promise<LoginAttempt>;
  /** The user as they are now, or undefined when they no longer exist in that source. */
  current(username: string, source: LoginUserSource): Promise<LoginUser | undefined>;
}

export interface LoginUsersOptions {
  readonly order: readonly UserSource[];
  readonly adminService: AdminService;
  /** null: [local_auth] is off. */
  readonly usersFile: UsersFileStore | null;
  readonly logger: LoginLogger;
}

/** The `id` of file users in the `sub` claim: database ids start at 1, so 0 names no row. */
export const FILE_USER_ID = 0;

export function createLoginUsers(options: LoginUsersOptions): LoginUsers {
  const { adminService, usersFile, logger } = options;
  const order = options.order.filter((source) => source === "database" || usersFile !== null);

  const fromDatabase = (user: UserRecord, tokensValidAfterMs: number): LoginUser => ({
    username: user.username,
    source: "database",
    subject: userToDict(user),
    tokensValidAfterMs,
  });

  async function resolveWfc(wfc: UsersFileWfc | undefined): Promise<WfcRecord | null> {
    if (wfc === undefined) return null;
    if (typeof wfc !== "string") {
      return {
        id: wfc.id ?? FILE_USER_ID,
        name: wfc.name,
        org: wfc.org,
        orgunit: wfc.orgunit,
        department: wfc.department,
      };
    }
    try {
      return await adminService.getWfc(wfc);
    } catch (error) {
      logger.warn({ wfc, err: error }, `cannot look up wfc '${wfc}' for a users file user`);
      return null;
    }
  }

  const fromFile = async (user: AuthenticatedFileUser): Promise<LoginUser> => ({
    username: user.username,
    source: "file",
    subject: {
      id: FILE_USER_ID,
      username: user.username,
      email: user.email ?? null,
      roles: [...user.roles],
      wfc: await resolveWfc(user.wfc),
    },
  });

  return {
    async authenticate(username, password) {
      for (const source of order) {
        if (source === "database") {
          const result = await adminService.authenticate(username, password);
          if (result.ok) {
            return { ok: true, user: fromDatabase(result.user, result.tokensValidAfterMs) };
          }
          if (result.reason === "wrong_password") return { ok: false, reason: "wrong-password" };
        } else if (usersFile !== null) {
          const result = await usersFile.authenticate(username, password);
          if (result.ok) return { ok: true, user: await fromFile(result.user) };
          if (result.reason === "wrong-password") return { ok: false, reason: "wrong-password" };
        }
      }
      return { ok: false, reason: "unknown-user" };
    },
    async current(username, source) {
      if (source === "file") {
        const user = usersFile?.get(username);
        return user === undefined ? undefined : fromFile(user);
      }
      const found = await adminService.getUserForTokens(username);
      return found === null ? undefined : fromDatabase(found.user, found.tokensValidAfterMs);
    },
  };
}

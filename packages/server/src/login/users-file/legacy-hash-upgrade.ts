// Rewrites a legacy sha256 entry of users.yaml as argon2id after a successful login, keeping
// everything else in the file as it was. Failures are logged and never fail the login.

import type { LoginLogger } from "../logger.js";
import { type Argon2Params, hashPassword } from "./password-hashing.js";
import {
  entryMapping,
  isReadOnlyFile,
  readUsersDocument,
  setPasswordHash,
  UsersFileError,
  writeUsersDocument,
} from "./users-file-document.js";
import type { UsersFileUser } from "./users-file-entry.js";

export class LegacyHashUpgrade {
  /** Users already told about a read-only file, so each login does not repeat it. */
  private readonly readOnlyWarned = new Set<string>();

  constructor(
    private readonly path: string,
    private readonly argon2: Argon2Params,
    private readonly logger: LoginLogger,
  ) {}

  /** The new argon2id hash of the password, or null (logged) when hashing failed. */
  async hash(user: UsersFileUser, password: string): Promise<string | null> {
    try {
      return await hashPassword(password, this.argon2);
    } catch (error) {
      this.logger.error(
        { usersFile: this.path, username: user.username, err: error },
        "argon2id hashing failed; the legacy entry stays",
      );
      return null;
    }
  }

  /**
   * Writes `phc` into the user's entry if it still holds the legacy hash this login checked.
   * Returns the upgraded user, or null when nothing was written. Run it serialised with reloads.
   */
  async rewrite(user: UsersFileUser, phc: string): Promise<UsersFileUser | null> {
    if (user.password.kind !== "sha256-salted") return null;
    const legacyHex = user.password.hex;
    try {
      if (await isReadOnlyFile(this.path)) {
        if (!this.readOnlyWarned.has(user.username)) {
          this.readOnlyWarned.add(user.username);
          this.logger.warn(
            { usersFile: this.path, username: user.username },
            `users file ${this.path} is read-only: the legacy sha256 hash of '${user.username}' was not upgraded (run adminops localusers set-password)`,
          );
        }
        return null;
      }
      const edited = await readUsersDocument(this.path);
      const entry = entryMapping(edited.top, user.username);
      const current = entry?.get("password");
      // Someone changed the entry since this login's check: their edit wins.
      if (entry === undefined || typeof current !== "string" || current.toLowerCase() !== legacyHex)
        return null;
      setPasswordHash(entry, phc);
      await writeUsersDocument(edited);
      this.logger.info(
        { usersFile: this.path, username: user.username },
        `upgraded the password hash of '${user.username}' to argon2id`,
      );
      return Object.freeze({ ...user, password: { kind: "argon2" as const, phc } });
    } catch (error) {
      const detail = error instanceof UsersFileError ? error.message : String(error);
      this.logger.warn(
        { usersFile: this.path, username: user.username },
        `could not upgrade the legacy hash of '${user.username}': ${detail}; login still works`,
      );
      return null;
    }
  }
}

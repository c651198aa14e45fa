// Reading users.yaml for the live store: notices whether the file changed since the last read,
// reads and parses it, and logs what an operator must know (missing, rejected, skipped entries,
// legacy hashes). It never throws: a file that cannot be trusted is reported as "kept-previous",
// so the store keeps the map it has.

import { promises as fs } from "node:fs";
import type { LoginLogger } from "../logger.js";
import { parseUsersFile } from "./parse-users-file.js";
import type { UsersFileUser } from "./users-file-entry.js";

export type UsersFileRead =
  | { status: "loaded"; users: ReadonlyMap<string, UsersFileUser>; skipped: number }
  | { status: "unchanged" }
  | { status: "kept-previous"; code: string; message: string };

export class UsersFileReader {
  /** Identity of the file version last read (or attempted), "missing" when absent. */
  private seenSignature: string | null = null;

  constructor(
    readonly path: string,
    private readonly logger: LoginLogger,
  ) {}

  /** Whether a read has been attempted before (the first load notifies no listeners). */
  get hasReadBefore(): boolean {
    return this.seenSignature !== null;
  }

  /**
   * Reads the file; with `onlyIfChanged`, answers "unchanged" when its identity is the one last
   * seen. `keptUsers` is how many users the caller keeps if this read fails (for the log).
   */
  async read(onlyIfChanged: boolean, keptUsers: number): Promise<UsersFileRead> {
    const signature = await fileSignature(this.path);
    if (onlyIfChanged && signature === this.seenSignature) return { status: "unchanged" };
    const previousSignature = this.seenSignature;
    this.seenSignature = signature;

    if (signature === "missing") {
      if (previousSignature !== "missing") {
        this.logger.error(
          { usersFile: this.path, keptUsers },
          `users file ${this.path} is missing; keeping the previous ${keptUsers} users until it is back`,
        );
      }
      return {
        status: "kept-previous",
        code: "USERS_FILE_MISSING",
        message: "the file does not exist",
      };
    }

    let text: string;
    try {
      text = await fs.readFile(this.path, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "EIO";
      this.logger.error(
        { usersFile: this.path, code },
        `cannot read users file ${this.path}: ${code}; keeping the previous users`,
      );
      return {
        status: "kept-previous",
        code: "USERS_FILE_UNREADABLE",
        message: `cannot read it (${code})`,
      };
    }
    const parsed = parseUsersFile(text);
    if (!parsed.ok) {
      this.logger.error(
        { usersFile: this.path, code: parsed.code, keptUsers },
        `users file ${this.path} rejected: ${parsed.message}; keeping the previous ${keptUsers} users`,
      );
      return { status: "kept-previous", code: parsed.code, message: parsed.message };
    }

    for (const skipped of parsed.skipped) {
      this.logger.warn(
        { usersFile: this.path, username: skipped.username },
        `users file entry '${skipped.username}' skipped: ${skipped.reason}`,
      );
    }
    if (parsed.skipped.length > 0) {
      this.logger.warn(
        { usersFile: this.path, skipped: parsed.skipped.length },
        `skipped ${parsed.skipped.length} invalid entries in ${this.path}`,
      );
    }
    this.logger.info(
      { usersFile: this.path, users: parsed.users.size, skipped: parsed.skipped.length },
      `loaded ${parsed.users.size} users from ${this.path}`,
    );
    const legacy = [...parsed.users.values()].filter(
      (u) => u.password.kind === "sha256-salted",
    ).length;
    if (legacy > 0) {
      this.logger.warn(
        { usersFile: this.path, legacyUsers: legacy },
        `${legacy} users in ${this.path} still have fast sha256 password hashes; they are upgraded to argon2id at their next login (or use adminops localusers set-password)`,
      );
    }
    return { status: "loaded", users: parsed.users, skipped: parsed.skipped.length };
  }
}

/** inode + size + mtime + ctime: a rename-replace, an in-place write or a touch all change it. */
async function fileSignature(filePath: string): Promise<string> {
  try {
    const stat = await fs.stat(filePath, { bigint: true });
    return `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch {
    return "missing";
  }
}

// The live users.yaml backend of the server. Loads the file at start, watches its directory (so
// editors that save by rename and files that are deleted and re-created are seen) with a
// debounce, plus a slow stat poll for filesystems that do not report changes. A reload parses
// and validates the whole file and swaps the map in one assignment; a file that cannot be trusted
// keeps the previous good map. Reloads, and the server's own rewrites, run one at a time through
// a promise queue, so there is no lock that can stay stuck (the original's did, forever).

import { type FSWatcher, promises as fs, watch } from "node:fs";
import path from "node:path";
import { type LoginLogger, silentLoginLogger } from "../logger.js";
import { parseUsersFile } from "./parse-users-file.js";
import {
  type Argon2Params,
  DEFAULT_ARGON2_PARAMS,
  dummyVerify,
  hashPassword,
  verifyPassword,
  verifySaltedSha256,
} from "./password-hashing.js";
import {
  entryMapping,
  isReadOnlyFile,
  readUsersDocument,
  setPasswordHash,
  UsersFileError,
  writeUsersDocument,
} from "./users-file-document.js";
import {
  type UsersFileUser,
  type UsersFileWfc,
  userCredentialsChanged,
} from "./users-file-entry.js";

/** What a successful login hands to the token code; never the password hash. */
export interface AuthenticatedFileUser {
  readonly username: string;
  readonly roles: readonly string[];
  readonly email?: string;
  readonly wfc?: UsersFileWfc;
  readonly source: "file";
}

export type FileAuthResult =
  | { ok: true; user: AuthenticatedFileUser }
  | { ok: false; reason: "unknown-user" | "wrong-password" };

/** Reported after every reload that changed the user set. */
export interface UsersFileChange {
  /** Users no longer in the file (or no longer usable): their sessions must end. */
  readonly removed: readonly string[];
  /** Users whose password, roles or wfc changed: their sessions must end too. */
  readonly changed: readonly string[];
  readonly added: readonly string[];
}

export type UsersFileChangeListener = (change: UsersFileChange) => void | Promise<void>;

export type ReloadOutcome =
  | { status: "loaded"; users: number; skipped: number; change: UsersFileChange }
  | { status: "unchanged" }
  | { status: "kept-previous"; code: string; message: string };

export interface UsersFileStoreOptions {
  readonly path: string;
  readonly logger?: LoginLogger;
  /** Cost of new argon2id hashes (the upgrade of legacy entries) and of the dummy check. */
  readonly argon2?: Argon2Params;
  /** Rewrite a legacy sha256 entry as argon2id after its next successful login. Default true. */
  readonly upgradeLegacyHashes?: boolean;
  /** Wait for the writes of one save to settle before reading. Default 150 ms. */
  readonly debounceMs?: number;
  /** Stat poll for missed watch events; 0 turns it off. Default 5000 ms. */
  readonly pollIntervalMs?: number;
  /** Throw from `open` when the file is missing or unusable at start. Default true. */
  readonly requireValidAtStart?: boolean;
  readonly onChange?: UsersFileChangeListener;
}

const EMPTY_CHANGE: UsersFileChange = Object.freeze({ removed: [], changed: [], added: [] });

export class UsersFileStore {
  readonly path: string;
  private readonly logger: LoginLogger;
  private readonly argon2: Argon2Params;
  private readonly upgradeLegacyHashes: boolean;
  private readonly debounceMs: number;
  private readonly pollIntervalMs: number;
  private readonly listeners = new Set<UsersFileChangeListener>();
  private users: ReadonlyMap<string, UsersFileUser> = new Map();
  /** Identity of the file version last read (or attempted), "missing" when absent. */
  private seenSignature: string | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FSWatcher | null = null;
  private debounceTimer: NodeJS.Timeout | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private readOnlyWarned = new Set<string>();
  private closed = false;

  private constructor(options: UsersFileStoreOptions) {
    this.path = path.resolve(options.path);
    this.logger = options.logger ?? silentLoginLogger;
    this.argon2 = options.argon2 ?? DEFAULT_ARGON2_PARAMS;
    this.upgradeLegacyHashes = options.upgradeLegacyHashes ?? true;
    this.debounceMs = options.debounceMs ?? 150;
    this.pollIntervalMs = options.pollIntervalMs ?? 5000;
    if (options.onChange) this.listeners.add(options.onChange);
  }

  /** Loads the file and starts watching it. */
  static async open(options: UsersFileStoreOptions): Promise<UsersFileStore> {
    const store = new UsersFileStore(options);
    const outcome = await store.reload();
    if (outcome.status === "kept-previous" && (options.requireValidAtStart ?? true)) {
      throw new UsersFileError(
        outcome.code === "USERS_FILE_MISSING" ? "USERS_FILE_MISSING" : "USERS_FILE_UNPARSEABLE",
        `[local_auth] users_file ${store.path}: ${outcome.message}`,
      );
    }
    store.startWatching();
    return store;
  }

  /** Registers a listener for reloads that changed users; returns the unsubscribe function. */
  onChange(listener: UsersFileChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.users.size;
  }

  usernames(): string[] {
    return [...this.users.keys()];
  }

  /** The current entry (for session checks: is the user still there, what are their roles). */
  get(username: string): AuthenticatedFileUser | undefined {
    const user = this.users.get(username);
    return user ? publicUser(user) : undefined;
  }

  /**
   * Checks a password. Every path does one argon2id verification (a real one, or a dummy one for
   * unknown users and legacy sha256 entries), so timing does not tell which usernames exist.
   */
  async authenticate(username: string, password: string): Promise<FileAuthResult> {
    const user = this.users.get(username);
    if (user === undefined) {
      await dummyVerify(this.argon2);
      return { ok: false, reason: "unknown-user" };
    }
    const stored = user.password;
    if (stored.kind === "argon2") {
      const { ok } = await verifyPassword(password, stored.phc, this.argon2);
      return ok ? { ok: true, user: publicUser(user) } : { ok: false, reason: "wrong-password" };
    }
    const ok = verifySaltedSha256(password, stored.salt, stored.hex);
    await dummyVerify(this.argon2);
    if (!ok) return { ok: false, reason: "wrong-password" };
    if (this.upgradeLegacyHashes) await this.upgradeLegacyEntry(user, password);
    return { ok: true, user: publicUser(user) };
  }

  /** Re-reads the file now (also what the watcher calls). Serialised with other reloads/writes. */
  reload(): Promise<ReloadOutcome> {
    return this.enqueue(() => this.reloadNow(false));
  }

  /** Stops watching. The last good map stays readable. */
  close(): void {
    this.closed = true;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.watcher?.close();
    this.watcher = null;
  }

  /** Resolves when queued reloads and rewrites have finished (tests, shutdown). */
  async settled(): Promise<void> {
    await this.queue.catch(() => undefined);
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async reloadNow(onlyIfChanged: boolean): Promise<ReloadOutcome> {
    const signature = await fileSignature(this.path);
    if (onlyIfChanged && signature === this.seenSignature) return { status: "unchanged" };
    const previousSignature = this.seenSignature;
    this.seenSignature = signature;

    if (signature === "missing") {
      const message = "the file does not exist";
      if (previousSignature !== "missing") {
        this.logger.error(
          { usersFile: this.path, keptUsers: this.users.size },
          `users file ${this.path} is missing; keeping the previous ${this.users.size} users until it is back`,
        );
      }
      return { status: "kept-previous", code: "USERS_FILE_MISSING", message };
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
        { usersFile: this.path, code: parsed.code, keptUsers: this.users.size },
        `users file ${this.path} rejected: ${parsed.message}; keeping the previous ${this.users.size} users`,
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
    const change = diffUsers(this.users, parsed.users);
    this.users = parsed.users;
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
    if (previousSignature !== null) this.notify(change);
    return { status: "loaded", users: parsed.users.size, skipped: parsed.skipped.length, change };
  }

  private notify(change: UsersFileChange): void {
    if (change.removed.length + change.changed.length + change.added.length === 0) return;
    for (const listener of this.listeners) {
      try {
        Promise.resolve(listener(change)).catch((error: unknown) => this.listenerFailed(error));
      } catch (error) {
        this.listenerFailed(error);
      }
    }
  }

  private listenerFailed(error: unknown): void {
    this.logger.error({ usersFile: this.path, err: error }, "a users file change listener failed");
  }

  private async upgradeLegacyEntry(user: UsersFileUser, password: string): Promise<void> {
    if (user.password.kind !== "sha256-salted") return;
    const legacyHex = user.password.hex;
    let phc: string;
    try {
      phc = await hashPassword(password, this.argon2);
    } catch (error) {
      this.logger.error(
        { usersFile: this.path, username: user.username, err: error },
        "argon2id hashing failed; the legacy entry stays",
      );
      return;
    }
    await this.enqueue(async () => {
      try {
        if (await isReadOnlyFile(this.path)) {
          if (!this.readOnlyWarned.has(user.username)) {
            this.readOnlyWarned.add(user.username);
            this.logger.warn(
              { usersFile: this.path, username: user.username },
              `users file ${this.path} is read-only: the legacy sha256 hash of '${user.username}' was not upgraded (run adminops localusers set-password)`,
            );
          }
          return;
        }
        const edited = await readUsersDocument(this.path);
        const entry = entryMapping(edited.top, user.username);
        const current = entry?.get("password");
        // Someone changed the entry since this login's check: their edit wins.
        if (
          entry === undefined ||
          typeof current !== "string" ||
          current.toLowerCase() !== legacyHex
        )
          return;
        setPasswordHash(entry, phc);
        await writeUsersDocument(edited);
        const upgraded: UsersFileUser = Object.freeze({
          ...user,
          password: { kind: "argon2" as const, phc },
        });
        const next = new Map(this.users);
        next.set(user.username, upgraded);
        this.users = next;
        this.logger.info(
          { usersFile: this.path, username: user.username },
          `upgraded the password hash of '${user.username}' to argon2id`,
        );
      } catch (error) {
        const detail = error instanceof UsersFileError ? error.message : String(error);
        this.logger.warn(
          { usersFile: this.path, username: user.username },
          `could not upgrade the legacy hash of '${user.username}': ${detail}; login still works`,
        );
      }
    });
  }

  private startWatching(): void {
    this.ensureWatcher();
    if (this.pollIntervalMs > 0) {
      this.pollTimer = setInterval(() => {
        this.ensureWatcher();
        this.scheduleCheck(0);
      }, this.pollIntervalMs);
      this.pollTimer.unref();
    }
  }

  private ensureWatcher(): void {
    if (this.watcher !== null || this.closed) return;
    const base = path.basename(this.path);
    try {
      const watcher = watch(path.dirname(this.path), { persistent: false }, (_event, filename) => {
        if (filename === null || filename.toString() === base) this.scheduleCheck(this.debounceMs);
      });
      watcher.on("error", () => {
        // The directory went away; the poll re-creates the watcher when it is back.
        watcher.close();
        if (this.watcher === watcher) this.watcher = null;
        this.scheduleCheck(this.debounceMs);
      });
      this.watcher = watcher;
    } catch {
      this.watcher = null;
    }
  }

  private scheduleCheck(delayMs: number): void {
    if (this.closed) return;
    if (this.debounceTimer) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = null;
      void this.enqueue(() => this.reloadNow(true));
    }, delayMs);
    this.debounceTimer.unref();
  }
}

function publicUser(user: UsersFileUser): AuthenticatedFileUser {
  return Object.freeze({
    username: user.username,
    roles: user.roles,
    ...(user.email !== undefined ? { email: user.email } : {}),
    ...(user.wfc !== undefined ? { wfc: user.wfc } : {}),
    source: "file" as const,
  });
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

function diffUsers(
  before: ReadonlyMap<string, UsersFileUser>,
  after: ReadonlyMap<string, UsersFileUser>,
): UsersFileChange {
  if (before.size === 0 && after.size === 0) return EMPTY_CHANGE;
  const removed: string[] = [];
  const changed: string[] = [];
  const added: string[] = [];
  for (const [name, old] of before) {
    const now = after.get(name);
    if (now === undefined) removed.push(name);
    else if (userCredentialsChanged(old, now)) changed.push(name);
  }
  for (const name of after.keys()) if (!before.has(name)) added.push(name);
  return Object.freeze({ removed, changed, added });
}

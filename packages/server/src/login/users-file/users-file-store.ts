// The live users.yaml backend of the server: the current user map, composed of the jobs around
// it — following the file (the shared watchFile: its folder, debounced, plus a slow poll for
// filesystems that report nothing), reading it (UsersFileReader), checking passwords
// (checkFileUserPassword) and rewriting legacy hashes (LegacyHashUpgrade). A reload swaps the map
// in one assignment; a file that cannot be trusted keeps the previous good map. Reloads and the
// server's own rewrites run one at a time through a promise queue, so there is no lock that can
// stay stuck (the original's did, forever).

import path from "node:path";
import { type FileWatcher, watchFile } from "@tokenleader/client/files";
import { type LoginLogger, silentLoginLogger } from "../logger.js";
import {
  type AuthenticatedFileUser,
  checkFileUserPassword,
  type FileAuthResult,
  publicFileUser,
} from "./authenticate-file-user.js";
import { LegacyHashUpgrade } from "./legacy-hash-upgrade.js";
import { type Argon2Params, DEFAULT_ARGON2_PARAMS } from "./password-hashing.js";
import { diffUsers, isEmptyChange, type UsersFileChange } from "./users-file-change.js";
import { UsersFileError } from "./users-file-document.js";
import type { UsersFileUser } from "./users-file-entry.js";
import { UsersFileReader } from "./users-file-reader.js";

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

export class UsersFileStore {
  readonly path: string;
  private readonly logger: LoginLogger;
  private readonly argon2: Argon2Params;
  private readonly upgradeLegacyHashes: boolean;
  private readonly reader: UsersFileReader;
  private readonly legacyHashUpgrade: LegacyHashUpgrade;
  private readonly listeners = new Set<UsersFileChangeListener>();
  private users: ReadonlyMap<string, UsersFileUser> = new Map();
  private queue: Promise<unknown> = Promise.resolve();
  private watcher: FileWatcher | null = null;

  private constructor(options: UsersFileStoreOptions) {
    this.path = path.resolve(options.path);
    this.logger = options.logger ?? silentLoginLogger;
    this.argon2 = options.argon2 ?? DEFAULT_ARGON2_PARAMS;
    this.upgradeLegacyHashes = options.upgradeLegacyHashes ?? true;
    this.reader = new UsersFileReader(this.path, this.logger);
    this.legacyHashUpgrade = new LegacyHashUpgrade(this.path, this.argon2, this.logger);
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
    store.watcher = watchFile(store.path, {
      // A check of an unchanged file costs one stat(): events of other files in the folder are fine.
      onChange: () => store.enqueue(() => store.reloadNow(true)),
      debounceMs: options.debounceMs ?? 150,
      pollIntervalMs: options.pollIntervalMs ?? 5000,
    });
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
    return user ? publicFileUser(user) : undefined;
  }

  /** Checks a password; a legacy sha256 entry is rewritten as argon2id after a success. */
  async authenticate(username: string, password: string): Promise<FileAuthResult> {
    const check = await checkFileUserPassword(this.users.get(username), password, this.argon2);
    if (!check.ok) return check;
    if (check.legacyHash && this.upgradeLegacyHashes) {
      await this.upgradeLegacyEntry(check.user, password);
    }
    return { ok: true, user: publicFileUser(check.user) };
  }

  /** Re-reads the file now (also what the watcher does). Serialised with other reloads/writes. */
  reload(): Promise<ReloadOutcome> {
    return this.enqueue(() => this.reloadNow(false));
  }

  /** Stops watching. The last good map stays readable. */
  close(): void {
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
    const firstRead = !this.reader.hasReadBefore;
    const read = await this.reader.read(onlyIfChanged, this.users.size);
    if (read.status !== "loaded") return read;
    const change = diffUsers(this.users, read.users);
    this.users = read.users;
    if (!firstRead) this.notify(change);
    return { status: "loaded", users: read.users.size, skipped: read.skipped, change };
  }

  private notify(change: UsersFileChange): void {
    if (isEmptyChange(change)) return;
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
    const phc = await this.legacyHashUpgrade.hash(user, password);
    if (phc === null) return;
    await this.enqueue(async () => {
      const upgraded = await this.legacyHashUpgrade.rewrite(user, phc);
      if (upgraded === null) return;
      const next = new Map(this.users);
      next.set(user.username, upgraded);
      this.users = next;
    });
  }
}

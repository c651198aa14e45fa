import { type FSWatcher, watch } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { EnforcerLogger } from "../logger.js";
import type { AclMap } from "./acl-map.js";
import { parseAclMap } from "./parse-acl-map.js";

export interface AclMapWatcher {
  /** The last map that loaded successfully. */
  current(): AclMap;
  /** Re-reads the file now (what a change event does after the debounce). */
  reload(): Promise<void>;
  close(): void;
}

export interface WatchAclMapOptions {
  /** The map already loaded from `path` at start-up. */
  initial: AclMap;
  /** The text `initial` was parsed from, so an event that changes nothing is not a "reload". */
  initialText?: string;
  logger: EnforcerLogger;
  debounceMs?: number;
}

/**
 * Keeps an ACL map in step with its file without reading the disk per request.
 *
 * The directory is watched rather than the file: editors (vim, sed -i) and Kubernetes ConfigMaps
 * replace a file by renaming a new one over it, which ends a watch on the old inode. Every event in
 * the directory schedules one debounced re-read (ConfigMap swaps report `..data`, not our file's
 * name, so events are not filtered by name); unchanged content is ignored. A file that fails to
 * parse or disappears keeps the last good map and logs an error.
 */
export function watchAclMap(path: string, options: WatchAclMapOptions): AclMapWatcher {
  const { logger } = options;
  const debounceMs = options.debounceMs ?? 100;
  let map = options.initial;
  let lastText = options.initialText;
  // The last read failure already logged: other files changing in the watched directory (a log
  // file beside the ACL, for one) must not repeat it on every event, or the log feeds itself.
  let lastReadError: string | undefined;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let running: Promise<void> | undefined;
  let rerun = false;

  const readAndSwap = async (): Promise<void> => {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (err) {
      const message = (err as Error).message;
      if (message === lastReadError) return;
      lastReadError = message;
      // Whatever comes back next counts as a change, even the text that was there before.
      lastText = undefined;
      logger.error(
        { file: path, err: message },
        "role_to_acl_map.yml could not be read; keeping the last good ACL map",
      );
      return;
    }
    lastReadError = undefined;
    if (text === lastText || closed) return;
    try {
      map = parseAclMap(text, path);
      lastText = text;
      logger.info({ file: path, roles: map.roles.length }, "reloaded role_to_acl_map.yml");
    } catch (err) {
      lastText = text;
      logger.error(
        { file: path, err: (err as Error).message },
        "role_to_acl_map.yml is invalid; keeping the last good ACL map",
      );
    }
  };

  const reload = async (): Promise<void> => {
    // Serialise reloads: a second event during a read runs once more afterwards, never in parallel.
    if (running) {
      rerun = true;
      return running;
    }
    running = (async () => {
      do {
        rerun = false;
        await readAndSwap();
      } while (rerun && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  const schedule = () => {
    if (closed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void reload();
    }, debounceMs);
    timer.unref();
  };

  let watcher: FSWatcher | undefined;
  try {
    // persistent: false — watching the ACL must never keep a process alive on its own.
    watcher = watch(dirname(path), { persistent: false }, schedule);
    watcher.on("error", (err) => {
      logger.error(
        { file: path, err: err.message },
        "watching role_to_acl_map.yml failed; the ACL map will no longer reload",
      );
    });
  } catch (err) {
    logger.warn(
      { file: path, dir: dirname(path), name: basename(path), err: (err as Error).message },
      "cannot watch the ACL map's directory; changes need a restart",
    );
  }

  return {
    current: () => map,
    reload,
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}

import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import { watchFile } from "@tokenleader/client/files";
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
 * Keeps an ACL map in step with its file without reading the disk per request (the shared
 * `watchFile` follows the file's folder). Unchanged content is ignored; a file that fails to
 * parse or disappears keeps the last good map and logs an error; a new map logs an info line.
 */
export function watchAclMap(path: string, options: WatchAclMapOptions): AclMapWatcher {
  const { logger } = options;
  let map = options.initial;
  let lastText = options.initialText;
  let closed = false;
  // The last read failure already logged: other files changing in the watched directory (a log
  // file beside the ACL, for one) must not repeat it on every event, or the log feeds itself.
  let lastReadError: string | undefined;

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

  const watcher = watchFile(path, {
    onChange: readAndSwap,
    debounceMs: options.debounceMs ?? 100,
    onWatchError: (err) => {
      logger.warn(
        { file: path, dir: dirname(path), err: err.message },
        "cannot watch the ACL map's directory; changes need a restart",
      );
    },
  });

  return {
    current: () => map,
    reload: () => watcher.check(),
    close() {
      closed = true;
      watcher.close();
    },
  };
}

import { type FSWatcher, watch } from "node:fs";
import { dirname } from "node:path";

// The one way the server and the enforcer follow a file they were configured with (users.yaml,
// role_to_acl_map.yml) without reading it per request.
//
// The folder is watched rather than the file: editors (vim, sed -i) and Kubernetes ConfigMaps
// replace a file by renaming a new one over it, which ends a watch on the old inode. Every event
// in the folder schedules one debounced check; events are not filtered by name, because a
// ConfigMap swap reports `..data`, not the file's name, so the check itself must notice when
// nothing changed. An optional slow poll catches filesystems that report nothing and re-creates
// a watch that failed (the folder was removed and came back).

export interface FileWatchOptions {
  /**
   * Looks at the file (after a debounce, on each poll, on `check()`). Runs never overlap: an
   * event during a run makes it run once more afterwards. A thrown error goes to `onError`.
   */
  onChange: () => unknown;
  /** Wait for the writes of one save to settle before checking (default 100 ms). */
  debounceMs?: number;
  /** Also check every this many ms and re-create a failed watch; 0 (default) turns it off. */
  pollIntervalMs?: number;
  /** The folder cannot be watched (reported once until watching works again). */
  onWatchError?: (error: Error) => void;
  /** `onChange` threw. */
  onError?: (error: unknown) => void;
}

export interface FileWatcher {
  /** Checks now, in turn with the watcher's own checks; resolves when that check has run. */
  check(): Promise<void>;
  /** Stops watching and polling; a check already running finishes. */
  close(): void;
}

export function watchFile(path: string, options: FileWatchOptions): FileWatcher {
  const debounceMs = options.debounceMs ?? 100;
  const pollIntervalMs = options.pollIntervalMs ?? 0;
  let closed = false;
  let watcher: FSWatcher | null = null;
  let watchErrorReported = false;
  let debounceTimer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let rerun = false;

  const check = (): Promise<void> => {
    if (running) {
      rerun = true;
      return running;
    }
    running = (async () => {
      do {
        rerun = false;
        try {
          await options.onChange();
        } catch (error) {
          options.onError?.(error);
        }
      } while (rerun && !closed);
    })().finally(() => {
      running = null;
    });
    return running;
  };

  const schedule = (delayMs: number) => {
    if (closed) return;
    if (debounceTimer) clearTimeout(debounceTimer);
    debounceTimer = setTimeout(() => {
      debounceTimer = null;
      void check();
    }, delayMs);
    debounceTimer.unref();
  };

  const reportWatchError = (error: Error) => {
    if (watchErrorReported) return;
    watchErrorReported = true;
    options.onWatchError?.(error);
  };

  const startWatching = () => {
    if (watcher !== null || closed) return;
    try {
      // persistent: false — watching must never keep a process alive on its own.
      const created = watch(dirname(path), { persistent: false }, () => schedule(debounceMs));
      created.on("error", (error) => {
        created.close();
        if (watcher === created) watcher = null;
        reportWatchError(error);
        schedule(debounceMs);
      });
      watcher = created;
      watchErrorReported = false;
    } catch (error) {
      reportWatchError(error as Error);
    }
  };

  startWatching();
  const pollTimer =
    pollIntervalMs > 0
      ? setInterval(() => {
          startWatching();
          schedule(0);
        }, pollIntervalMs)
      : null;
  pollTimer?.unref();

  return {
    check,
    close() {
      closed = true;
      if (debounceTimer) clearTimeout(debounceTimer);
      if (pollTimer) clearInterval(pollTimer);
      watcher?.close();
      watcher = null;
    },
  };
}

import { randomBytes } from "node:crypto";
import { link, mkdir, open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

// The one way the server and the client write a file that must never be seen half-written (keys,
// secrets, users.yaml, credential files): a temp file beside the target with the final mode,
// fsync, then an atomic move into place and an fsync of the directory so the move survives a
// crash. Readers (another process, a file watcher) see the old content or the new one, never a
// truncated file. Missing parent folders are created 0700: they usually hold secrets.

export interface AtomicWriteOptions {
  /** Mode of the file (default 0600: secrets). */
  mode?: number;
  /** An existing file keeps its own mode (an operator's chmod survives a rewrite). */
  keepExistingMode?: boolean;
  /** Only create: leave an existing file alone and return false (two processes racing). */
  exclusive?: boolean;
}

/** Writes `content` to `path` atomically. Returns false only when `exclusive` and it existed. */
export async function writeFileAtomic(
  path: string,
  content: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<boolean> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const mode = options.keepExistingMode
    ? ((await existingMode(path)) ?? options.mode ?? 0o600)
    : (options.mode ?? 0o600);
  const tempPath = join(
    dir,
    `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
  );
  // "wx" = O_EXCL: never follow or reuse something already at the temp name.
  const handle = await open(tempPath, "wx", mode);
  let created = true;
  try {
    // open()'s mode is filtered by the umask; chmod makes the final mode exact.
    await handle.chmod(mode);
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    if (options.exclusive) {
      // link() refuses to replace an existing file, unlike rename().
      try {
        await link(tempPath, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        created = false;
      }
      await rm(tempPath, { force: true });
    } else {
      await rename(tempPath, path);
    }
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(tempPath, { force: true });
    throw error;
  }
  await syncDirectory(dir);
  return created;
}

async function existingMode(path: string): Promise<number | null> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the move itself has still happened.
  }
}

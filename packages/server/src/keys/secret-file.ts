import { randomBytes } from "node:crypto";
import { link, mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

// A file holding a secret must never exist half-written or readable by others, not even for a
// moment: write a temp file with the final mode beside the target, fsync it, then move it into
// place (atomic on POSIX), and fsync the directory so the move survives a crash.

export interface AtomicWriteOptions {
  /** Only create: leave an existing file alone and return false (two servers starting at once). */
  exclusive?: boolean;
}

/** Writes `content` to `path` atomically with mode 0600. Returns false if `exclusive` and it existed. */
export async function writeSecretFileAtomic(
  path: string,
  content: string,
  options: AtomicWriteOptions = {},
): Promise<boolean> {
  return writeFileAtomic(path, content, 0o600, options);
}

/** Same atomic write for files that may be world-readable (public keys). */
export async function writePublicFileAtomic(
  path: string,
  content: string,
  options: AtomicWriteOptions = {},
): Promise<boolean> {
  return writeFileAtomic(path, content, 0o644, options);
}

async function writeFileAtomic(
  path: string,
  content: string,
  mode: number,
  options: AtomicWriteOptions,
): Promise<boolean> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tempPath = join(dir, `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(tempPath, "wx", mode);
  let created = true;
  try {
    // open()'s mode is filtered by the umask; chmod makes the final mode exact.
    await handle.chmod(mode);
    await handle.writeFile(content, "utf8");
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

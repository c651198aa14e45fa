// Replaces a file in one step: readers (the server's reload, another tool run) see either the old
// or the new content, never a truncated file — the original truncated and rewrote in place, and a
// reload in between read an empty file and hung.

import { randomBytes } from "node:crypto";
import { constants, promises as fs } from "node:fs";
import path from "node:path";

export interface AtomicWriteOptions {
  /** Mode for a file that does not exist yet; an existing file keeps its own mode. */
  readonly newFileMode?: number;
}

/**
 * Writes `text` to a temporary file beside `target`, fsyncs it, renames it over `target` and
 * fsyncs the directory. Throws the underlying error (EACCES, EROFS, ENOSPC…) with the temp file
 * removed.
 */
export async function writeFileAtomic(
  target: string,
  text: string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  let mode = options.newFileMode ?? 0o600;
  try {
    mode = (await fs.stat(target)).mode & 0o7777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString("hex")}.tmp`);
  // O_EXCL: never follow or reuse something already at the temp name.
  const handle = await fs.open(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL,
    mode,
  );
  try {
    try {
      await handle.writeFile(text, "utf8");
      // The process umask may have narrowed the mode given to open().
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename itself already happened.
  }
}

import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

export class SecretFileExistsError extends Error {
  readonly code = "EEXIST";
  constructor(readonly path: string) {
    super(`file ${path} already exists`);
    this.name = "SecretFileExistsError";
  }
}

/**
 * Writes a file holding a secret so that readers never see a partial file and nobody else can read
 * it: temp file created 0600 in the same directory, fsync, then rename (or hard-link when an existing
 * file must not be replaced, which fails atomically if another process won the race).
 * The parent directory is created 0700 when missing.
 */
export function writeSecretFileAtomic(
  path: string,
  content: string,
  options: { overwrite: boolean },
): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(tmp, "wx", 0o600);
  try {
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (options.overwrite) {
      renameSync(tmp, path);
    } else {
      try {
        linkSync(tmp, path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "EEXIST") throw new SecretFileExistsError(path);
        throw err;
      }
      unlinkSync(tmp);
    }
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // Already renamed or never created.
    }
    throw err;
  }
  syncDirectory(dir);
}

/** Makes the rename durable; not every platform allows opening a directory, hence best effort. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Durability hint only.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

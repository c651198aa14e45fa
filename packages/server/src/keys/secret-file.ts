import { writeFileAtomic } from "@tokenleader/client/files";

export interface SecretWriteOptions {
  /** Only create: leave an existing file alone and return false (two servers starting at once). */
  exclusive?: boolean;
}

/** Writes `content` to `path` atomically with mode 0600. Returns false if `exclusive` and it existed. */
export function writeSecretFileAtomic(
  path: string,
  content: string,
  options: SecretWriteOptions = {},
): Promise<boolean> {
  return writeFileAtomic(path, content, { mode: 0o600, ...options });
}

/** Same atomic write for files that may be world-readable (public keys). */
export function writePublicFileAtomic(
  path: string,
  content: string,
  options: SecretWriteOptions = {},
): Promise<boolean> {
  return writeFileAtomic(path, content, { mode: 0o644, ...options });
}

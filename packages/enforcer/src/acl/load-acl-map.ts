import { readFileSync, statSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { EnforcerError } from "../errors.js";
import type { AclMap } from "./acl-map.js";
import { MAX_ACL_MAP_BYTES, parseAclMap } from "./parse-acl-map.js";

/** Reads and validates role_to_acl_map.yml. Throws `EnforcerError` naming the file and the problem. */
export async function loadAclMap(path: string): Promise<AclMap> {
  let text: string;
  try {
    const info = await stat(path);
    checkSize(path, info.size);
    text = await readFile(path, "utf8");
  } catch (err) {
    throw unreadable(path, err);
  }
  return parseAclMap(text, path);
}

/**
 * Start-up variant: lets `createEnforcer` stay synchronous and fail before serving anything.
 * Returns the text too, so the watcher can tell a real change from a no-op event.
 */
export function loadAclMapSync(path: string): { map: AclMap; text: string } {
  let text: string;
  try {
    checkSize(path, statSync(path).size);
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw unreadable(path, err);
  }
  return { map: parseAclMap(text, path), text };
}

function checkSize(path: string, size: number): void {
  if (size > MAX_ACL_MAP_BYTES) {
    throw new EnforcerError(
      "ACL_MAP_INVALID",
      `${path}: file is larger than ${MAX_ACL_MAP_BYTES} bytes`,
    );
  }
}

function unreadable(path: string, err: unknown): EnforcerError {
  if (err instanceof EnforcerError) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === "ENOENT"
      ? "file not found"
      : code === "EACCES"
        ? "permission denied"
        : code === "EISDIR"
          ? "is a directory"
          : (err as Error).message;
  return new EnforcerError("ACL_MAP_UNREADABLE", `${path}: cannot read the ACL map: ${why}`, {
    cause: err,
  });
}

// Turns the text of a users.yaml into a user map. A file that cannot be trusted as a whole (syntax
// error, empty, top level not a mapping, duplicate keys, too big) is rejected as a whole so the
// caller keeps its previous good map; single bad entries are skipped and reported.

import { type Document, isMap, isNode, isScalar, parseDocument, type YAMLMap } from "yaml";
import { type UsersFileUser, validateUsersFileEntry } from "./users-file-entry.js";

/** Far above any real user file; stops a runaway file from being parsed into memory. */
export const MAX_USERS_FILE_BYTES = 8 * 1024 * 1024;

export interface SkippedEntry {
  readonly username: string;
  readonly reason: string;
}

export type UsersFileParseResult =
  | {
      ok: true;
      users: ReadonlyMap<string, UsersFileUser>;
      skipped: readonly SkippedEntry[];
    }
  | { ok: false; code: UsersFileRejection; message: string };

export type UsersFileRejection =
  | "USERS_FILE_SYNTAX"
  | "USERS_FILE_EMPTY"
  | "USERS_FILE_NOT_MAPPING"
  | "USERS_FILE_TOO_LARGE";

/** Parses a YAML document with the limits used everywhere for users.yaml. */
export function parseUsersYamlDocument(text: string) {
  // uniqueKeys: a user listed twice is ambiguous (which password wins?), so it is a syntax error.
  return parseDocument(text, { uniqueKeys: true, prettyErrors: false, strict: true });
}

export function parseUsersFile(text: string): UsersFileParseResult {
  if (Buffer.byteLength(text, "utf8") > MAX_USERS_FILE_BYTES) {
    return {
      ok: false,
      code: "USERS_FILE_TOO_LARGE",
      message: `the file is larger than ${MAX_USERS_FILE_BYTES} bytes`,
    };
  }
  const doc = parseUsersYamlDocument(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    return {
      ok: false,
      code: "USERS_FILE_SYNTAX",
      message: `YAML syntax error${line !== undefined ? ` at line ${line}` : ""}: ${first.code}`,
    };
  }
  const top = doc.contents;
  if (top === null || (isScalar(top) && (top.value === null || top.value === ""))) {
    return {
      ok: false,
      code: "USERS_FILE_EMPTY",
      message: "the file holds no users (it is empty)",
    };
  }
  if (!isMap(top)) {
    return {
      ok: false,
      code: "USERS_FILE_NOT_MAPPING",
      message: "the top level must be a mapping of username to user entry",
    };
  }

  return { ok: true, ...usersFromMapping(doc, top) };
}

/** Validates every entry of the top-level mapping; bad entries are listed, not thrown. */
export function usersFromMapping(
  doc: Document.Parsed | Document,
  top: YAMLMap<unknown, unknown>,
): { users: Map<string, UsersFileUser>; skipped: SkippedEntry[] } {
  const users = new Map<string, UsersFileUser>();
  const skipped: SkippedEntry[] = [];
  for (const pair of top.items) {
    const keyNode = pair.key;
    if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === "object") {
      skipped.push({ username: String(keyNode), reason: "the username is not a plain scalar" });
      continue;
    }
    const username = String(keyNode.value);
    let value: unknown;
    try {
      // toJS resolves aliases with yaml's alias-count limit (a "billion laughs" file throws).
      value = isNode(pair.value) ? pair.value.toJS(doc, { maxAliasCount: 100 }) : pair.value;
    } catch {
      skipped.push({ username, reason: "the entry could not be resolved (too many aliases?)" });
      continue;
    }
    const validation = validateUsersFileEntry(username, value);
    if (validation.ok) users.set(username, validation.user);
    else skipped.push({ username, reason: validation.reason });
  }
  return { users, skipped };
}

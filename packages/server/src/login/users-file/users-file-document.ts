// Edits of users.yaml that keep everything the editor does not touch: other users, entries the
// server cannot use (the original tool dropped them silently on every write), unknown keys and
// comments. Both the localusers tool and the server's legacy-hash upgrade go through here.

import { promises as fs } from "node:fs";
import { writeFileAtomic } from "@tokenleader/client/files";
import { type Document, isMap, isScalar, YAMLMap } from "yaml";
import { MAX_USERS_FILE_BYTES, parseUsersYamlDocument } from "./parse-users-file.js";

export type UsersFileErrorCode =
  | "USERS_FILE_MISSING"
  | "USERS_FILE_UNREADABLE"
  | "USERS_FILE_UNPARSEABLE"
  | "USERS_FILE_NOT_MAPPING"
  | "USERS_FILE_TOO_LARGE"
  | "USERS_FILE_READ_ONLY"
  | "USERS_FILE_WRITE_FAILED";

export class UsersFileError extends Error {
  constructor(
    readonly code: UsersFileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "UsersFileError";
  }
}

export interface UsersDocument {
  readonly path: string;
  readonly doc: Document;
  /** The top-level mapping (created empty for a missing or empty file). */
  readonly top: YAMLMap<unknown, unknown>;
  readonly existed: boolean;
}

/**
 * Reads users.yaml for editing. An empty file is an empty user list; a missing file is one only
 * when `createIfMissing`; anything that does not parse, or whose top level is not a mapping, is
 * refused so an edit can never destroy what a person wrote.
 */
export async function readUsersDocument(
  filePath: string,
  options: { createIfMissing?: boolean } = {},
): Promise<UsersDocument> {
  let text: string;
  let existed = true;
  try {
    const stat = await fs.stat(filePath);
    if (stat.size > MAX_USERS_FILE_BYTES) {
      throw new UsersFileError(
        "USERS_FILE_TOO_LARGE",
        `${filePath} is larger than ${MAX_USERS_FILE_BYTES} bytes`,
      );
    }
    text = await fs.readFile(filePath, "utf8");
  } catch (error) {
    if (error instanceof UsersFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && options.createIfMissing) {
      text = "";
      existed = false;
    } else if (code === "ENOENT") {
      throw new UsersFileError("USERS_FILE_MISSING", `${filePath} does not exist`);
    } else {
      throw new UsersFileError(
        "USERS_FILE_UNREADABLE",
        `cannot read ${filePath}: ${code ?? String(error)}`,
      );
    }
  }
  const doc = parseUsersYamlDocument(text);
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0]?.line;
    throw new UsersFileError(
      "USERS_FILE_UNPARSEABLE",
      `${filePath} is not valid YAML${line !== undefined ? ` (line ${line}: ${first.code})` : ` (${first.code})`}; fix it by hand first, nothing was changed`,
    );
  }
  const contents = doc.contents;
  const empty =
    contents === null || (isScalar(contents) && (contents.value === null || contents.value === ""));
  if (empty) {
    const top = new YAMLMap<unknown, unknown>();
    doc.contents = top as never;
    return { path: filePath, doc, top, existed };
  }
  if (!isMap(contents)) {
    throw new UsersFileError(
      "USERS_FILE_NOT_MAPPING",
      `${filePath}: the top level must be a mapping of username to user entry; nothing was changed`,
    );
  }
  return { path: filePath, doc, top: contents, existed };
}

function findPairIndex(top: YAMLMap<unknown, unknown>, username: string): number {
  return top.items.findIndex((pair) => isScalar(pair.key) && String(pair.key.value) === username);
}

export function hasEntry(top: YAMLMap<unknown, unknown>, username: string): boolean {
  return findPairIndex(top, username) !== -1;
}

/** The entry's mapping node, or undefined when the user is absent or its value is not a mapping. */
export function entryMapping(
  top: YAMLMap<unknown, unknown>,
  username: string,
): YAMLMap<unknown, unknown> | undefined {
  const index = findPairIndex(top, username);
  if (index === -1) return undefined;
  const value = top.items[index]!.value;
  return isMap(value) ? value : undefined;
}

export interface NewEntry {
  readonly roles: readonly string[];
  readonly password: string;
  readonly email?: string;
  readonly wfc?: string;
}

export function addEntry(
  doc: Document,
  top: YAMLMap<unknown, unknown>,
  username: string,
  entry: NewEntry,
): void {
  const value: Record<string, unknown> = { roles: [...entry.roles], password: entry.password };
  if (entry.email !== undefined) value.email = entry.email;
  if (entry.wfc !== undefined) value.wfc = entry.wfc;
  const node = doc.createNode(value) as YAMLMap<unknown, unknown>;
  setFlowRoles(doc, node, entry.roles);
  top.add(doc.createPair(username, node));
}

export function removeEntry(top: YAMLMap<unknown, unknown>, username: string): boolean {
  const index = findPairIndex(top, username);
  if (index === -1) return false;
  top.items.splice(index, 1);
  return true;
}

/** Roles as a one-line list (`roles: [Admin, default]`), the way the sample file writes them. */
export function setFlowRoles(
  doc: Document,
  entry: YAMLMap<unknown, unknown>,
  roles: readonly string[],
): void {
  const seq = doc.createNode([...roles]);
  (seq as { flow?: boolean }).flow = true;
  entry.set("roles", seq);
}

/** Stores an argon2id hash and drops the legacy salt; every other key of the entry stays. */
export function setPasswordHash(entry: YAMLMap<unknown, unknown>, phc: string): void {
  entry.set("password", phc);
  entry.delete("salt");
}

/** True when the file's permission bits forbid writing (an admin's read-only intent, even for root). */
export async function isReadOnlyFile(filePath: string): Promise<boolean> {
  try {
    const stat = await fs.stat(filePath);
    if ((stat.mode & 0o222) === 0) return true;
    await fs.access(filePath, fs.constants.W_OK);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

/** Writes the document atomically (temp + fsync + rename; existing mode kept, 0600 for new files). */
export async function writeUsersDocument(users: UsersDocument): Promise<void> {
  if (users.existed && (await isReadOnlyFile(users.path))) {
    throw new UsersFileError(
      "USERS_FILE_READ_ONLY",
      `${users.path} is read-only; nothing was changed`,
    );
  }
  try {
    await writeFileAtomic(
      users.path,
      users.doc.toString({ lineWidth: 0, flowCollectionPadding: false }),
      // The original truncated and rewrote in place; a reload in between read an empty file.
      { mode: 0o600, keepExistingMode: true },
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsersFileError(
      "USERS_FILE_WRITE_FAILED",
      `cannot write ${users.path}: ${code}; nothing was changed`,
    );
  }
}

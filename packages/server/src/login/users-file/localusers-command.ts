// `adminops localusers list|add|remove|change-roles|set-password --file users.yaml`: the
// original LocalUserManagement.py, fixed — hidden password prompts with confirmation or
// --password-stdin, any role list, atomic writes that keep entries the tool does not understand,
// refusal to touch a file it cannot parse, and a non-zero exit status on every failure.
// Plain functions taking (args, io); cli/adminops/commands/localusers.ts mounts them in adminops.

import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@tokenleader/client/settings";
import { PromptCancelledError } from "@tokenleader/client/terminal";
import { parseUsersYamlDocument, usersFromMapping } from "./parse-users-file.js";
import { type Argon2Params, DEFAULT_ARGON2_PARAMS, hashPassword } from "./password-hashing.js";
import type { LocalUsersIo } from "./terminal-io.js";
import {
  addEntry,
  entryMapping,
  hasEntry,
  readUsersDocument,
  removeEntry,
  setFlowRoles,
  setPasswordHash,
  type UsersDocument,
  UsersFileError,
  writeUsersDocument,
} from "./users-file-document.js";
import { validateUsersFileEntry } from "./users-file-entry.js";

const ADMIN_ROLES = ["Admin", "default"] as const;
const DEFAULT_ROLES = ["default"] as const;
const NAME_PATTERN = /^[^\s,:#\p{Cc}][^\s,\p{Cc}]{0,127}$/u;

export interface LocalUsersCommonArgs {
  file: string;
  argon2?: Argon2Params;
  /** Shortest password set ([passwords] min_length); default PASSWORD_MIN_LENGTH. */
  passwordMinLength?: number;
}
export interface ListArgs extends LocalUsersCommonArgs {
  json?: boolean;
}
export interface AddArgs extends LocalUsersCommonArgs {
  username?: string;
  roles?: string;
  admin?: boolean;
  email?: string;
  wfc?: string;
  passwordStdin?: boolean;
}
export interface RemoveArgs extends LocalUsersCommonArgs {
  username?: string;
}
export interface ChangeRolesArgs extends LocalUsersCommonArgs {
  username?: string;
  roles?: string;
  admin?: boolean;
}
export interface SetPasswordArgs extends LocalUsersCommonArgs {
  username?: string;
  passwordStdin?: boolean;
}

/** A failure the user can fix; `message` is printed as "error: …", exit status 1. */
class LocalUsersFailure extends Error {}

export async function listUsers(args: ListArgs, io: LocalUsersIo): Promise<number> {
  return run(io, async () => {
    const users = await readUsersDocument(args.file);
    const { users: valid, skipped } = usersFromMapping(users.doc, users.top);
    const rows = [...valid.values()].map((u) => ({
      username: u.username,
      roles: [...u.roles],
      ...(u.email !== undefined ? { email: u.email } : {}),
      ...(u.wfc !== undefined ? { wfc: u.wfc } : {}),
      hash: u.password.kind === "argon2" ? "argon2id" : "sha256-legacy",
    }));
    if (args.json) {
      io.out(JSON.stringify({ file: args.file, users: rows, invalid: skipped }, null, 2));
      return;
    }
    io.out(`${rows.length} user${rows.length === 1 ? "" : "s"} in ${args.file}:`);
    const width = Math.max(8, ...rows.map((r) => r.username.length));
    for (const row of rows) {
      const legacy = row.hash === "sha256-legacy" ? "  (legacy sha256 hash: run set-password)" : "";
      const email = row.email !== undefined ? `  email: ${row.email}` : "";
      io.out(
        `  ${row.username.padEnd(width)}  roles: ${row.roles.join(", ") || "(none)"}${email}${legacy}`,
      );
    }
    if (skipped.length > 0) {
      io.out(
        `${skipped.length} entr${skipped.length === 1 ? "y" : "ies"} the server cannot use (kept in the file):`,
      );
      for (const s of skipped) io.out(`  ${s.username}: ${s.reason}`);
    }
  });
}

export async function addUser(args: AddArgs, io: LocalUsersIo): Promise<number> {
  return run(io, async () => {
    const users = await readUsersDocument(args.file, { createIfMissing: true });
    const username = await usernameFrom(args.username, "New username: ", io);
    if (hasEntry(users.top, username)) {
      throw new LocalUsersFailure(
        `user '${username}' already exists in ${args.file}; use change-roles or set-password to change it`,
      );
    }
    const roles = await rolesFrom(args, io, [...DEFAULT_ROLES]);
    const password = await newPasswordFrom(args, io, username);
    const phc = await hashPassword(password, args.argon2 ?? DEFAULT_ARGON2_PARAMS);
    addEntry(users.doc, users.top, username, {
      roles,
      password: phc,
      ...(args.email !== undefined ? { email: args.email } : {}),
      ...(args.wfc !== undefined ? { wfc: args.wfc } : {}),
    });
    await save(users);
    io.out(
      `${users.existed ? "" : `created ${args.file}; `}added user '${username}' with roles: ${roles.join(", ") || "(none)"}`,
    );
  });
}

export async function removeUser(args: RemoveArgs, io: LocalUsersIo): Promise<number> {
  return run(io, async () => {
    const users = await readUsersDocument(args.file);
    const username = await usernameFrom(args.username, "Username to remove: ", io);
    if (!removeEntry(users.top, username)) throw missingUser(username, args.file);
    await save(users);
    io.out(`removed user '${username}' from ${args.file}`);
  });
}

export async function changeRoles(args: ChangeRolesArgs, io: LocalUsersIo): Promise<number> {
  return run(io, async () => {
    const users = await readUsersDocument(args.file);
    const username = await usernameFrom(args.username, "Username to change: ", io);
    const entry = editableEntry(users, username, args.file);
    const current = entry.get("roles", true)?.toJSON?.();
    const roles = await rolesFrom(
      args,
      io,
      Array.isArray(current) ? current.map(String) : [...DEFAULT_ROLES],
    );
    setFlowRoles(users.doc, entry, roles);
    await save(users);
    io.out(`roles of '${username}' are now: ${roles.join(", ") || "(none)"}`);
    warnIfUnusable(users, username, io);
  });
}

export async function setPassword(args: SetPasswordArgs, io: LocalUsersIo): Promise<number> {
  return run(io, async () => {
    const users = await readUsersDocument(args.file);
    const username = await usernameFrom(args.username, "Username: ", io);
    const entry = editableEntry(users, username, args.file);
    const password = await newPasswordFrom(args, io, username);
    setPasswordHash(entry, await hashPassword(password, args.argon2 ?? DEFAULT_ARGON2_PARAMS));
    await save(users);
    io.out(`password of '${username}' changed (argon2id)`);
    warnIfUnusable(users, username, io);
  });
}

async function run(io: LocalUsersIo, body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return 0;
  } catch (error) {
    if (error instanceof LocalUsersFailure || error instanceof UsersFileError) {
      io.err(`error: ${error.message}`);
    } else if (error instanceof PromptCancelledError) {
      io.err("cancelled; nothing was changed");
    } else {
      io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    }
    return 1;
  }
}

async function save(users: UsersDocument): Promise<void> {
  // Re-parse what is about to be written: an edit must never produce a file the server rejects.
  const text = users.doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  if (parseUsersYamlDocument(text).errors.length > 0) {
    throw new LocalUsersFailure(
      "internal error: the edited file would not parse; nothing was changed",
    );
  }
  await writeUsersDocument(users);
}

function missingUser(username: string, file: string): LocalUsersFailure {
  return new LocalUsersFailure(
    `user '${username}' is not in ${file}; run 'localusers list' to see the users`,
  );
}

function editableEntry(users: UsersDocument, username: string, file: string) {
  const entry = entryMapping(users.top, username);
  if (entry !== undefined) return entry;
  if (hasEntry(users.top, username)) {
    throw new LocalUsersFailure(
      `the entry '${username}' in ${file} is not a mapping; fix or remove it first`,
    );
  }
  throw missingUser(username, file);
}

function warnIfUnusable(users: UsersDocument, username: string, io: LocalUsersIo): void {
  const entry = entryMapping(users.top, username);
  const result = validateUsersFileEntry(username, entry?.toJS(users.doc));
  if (!result.ok) io.err(`warning: '${username}' still cannot log in: ${result.reason}`);
}

function checkName(kind: string, value: string): string {
  if (!NAME_PATTERN.test(value)) {
    throw new LocalUsersFailure(
      `invalid ${kind} '${value}': use 1-128 characters without spaces, commas or control characters`,
    );
  }
  return value;
}

async function usernameFrom(
  given: string | undefined,
  question: string,
  io: LocalUsersIo,
): Promise<string> {
  if (given !== undefined) return checkName("username", given);
  if (!io.interactive) throw new LocalUsersFailure("no username given (pass it as an argument)");
  return checkName("username", (await io.ask(question)).trim());
}

/** Parses "a, b,c" into a role list; an empty string means no roles. */
export function parseRoleList(text: string): string[] {
  const roles = text
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r.length > 0)
    .map((r) => checkName("role", r));
  return [...new Set(roles)];
}

async function rolesFrom(
  args: { roles?: string; admin?: boolean },
  io: LocalUsersIo,
  fallback: string[],
): Promise<string[]> {
  if (args.roles !== undefined && args.admin)
    throw new LocalUsersFailure("give either --roles or --admin, not both");
  if (args.admin) return [...ADMIN_ROLES];
  if (args.roles !== undefined) return parseRoleList(args.roles);
  if (!io.interactive) return fallback;
  const answer = await io.ask(`Roles, comma-separated [${fallback.join(", ")}]: `);
  return answer.trim() === "" ? fallback : parseRoleList(answer);
}

async function newPasswordFrom(
  args: { passwordStdin?: boolean; passwordMinLength?: number },
  io: LocalUsersIo,
  username: string,
): Promise<string> {
  const minLength = args.passwordMinLength ?? PASSWORD_MIN_LENGTH;
  let password: string;
  if (args.passwordStdin) {
    // Like `docker login --password-stdin`: the first line, without its line ending.
    password = (await io.readStdin()).split(/\r?\n/, 1)[0] ?? "";
  } else {
    if (!io.interactive) {
      throw new LocalUsersFailure(
        "no terminal to ask for the password; pipe it in with --password-stdin",
      );
    }
    password = await io.askSecret(`New password for '${username}': `);
    checkPassword(password, minLength);
    const again = await io.askSecret("Repeat the password: ");
    if (again !== password)
      throw new LocalUsersFailure("the passwords do not match; nothing was changed");
  }
  return checkPassword(password, minLength);
}

function checkPassword(password: string, minLength: number): string {
  // Characters as a person counts them (code points), like the admin API's rule.
  if ([...password].length < minLength) {
    throw new LocalUsersFailure(`the password is too short: use at least ${minLength} characters`);
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    throw new LocalUsersFailure(`the password must have at most ${PASSWORD_MAX_LENGTH} characters`);
  }
  return password;
}

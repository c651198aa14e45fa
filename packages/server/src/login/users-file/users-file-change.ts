// Which users a reload of users.yaml removed, changed or added: their sessions must end.

import { type UsersFileUser, userCredentialsChanged } from "./users-file-entry.js";

/** Reported after every reload that changed the user set. */
export interface UsersFileChange {
  /** Users no longer in the file (or no longer usable): their sessions must end. */
  readonly removed: readonly string[];
  /** Users whose password, roles or wfc changed: their sessions must end too. */
  readonly changed: readonly string[];
  readonly added: readonly string[];
}

const EMPTY_CHANGE: UsersFileChange = Object.freeze({ removed: [], changed: [], added: [] });

export function diffUsers(
  before: ReadonlyMap<string, UsersFileUser>,
  after: ReadonlyMap<string, UsersFileUser>,
): UsersFileChange {
  if (before.size === 0 && after.size === 0) return EMPTY_CHANGE;
  const removed: string[] = [];
  const changed: string[] = [];
  const added: string[] = [];
  for (const [name, old] of before) {
    const now = after.get(name);
    if (now === undefined) removed.push(name);
    else if (userCredentialsChanged(old, now)) changed.push(name);
  }
  for (const name of after.keys()) if (!before.has(name)) added.push(name);
  return Object.freeze({ removed, changed, added });
}

export function isEmptyChange(change: UsersFileChange): boolean {
  return change.removed.length + change.changed.length + change.added.length === 0;
}

// Password checks against users.yaml entries, in time that does not tell which usernames exist.

import {
  type Argon2Params,
  dummyVerify,
  verifyPassword,
  verifySaltedSha256,
} from "./password-hashing.js";
import type { UsersFileUser, UsersFileWfc } from "./users-file-entry.js";

/** What a successful login hands to the token code; never the password hash. */
export interface AuthenticatedFileUser {
  readonly username: string;
  readonly roles: readonly string[];
  readonly email?: string;
  readonly wfc?: UsersFileWfc;
  readonly source: "file";
}

export type FileAuthResult =
  | { ok: true; user: AuthenticatedFileUser }
  | { ok: false; reason: "unknown-user" | "wrong-password" };

export type FilePasswordCheck =
  | { ok: true; user: UsersFileUser; legacyHash: boolean }
  | { ok: false; reason: "unknown-user" | "wrong-password" };

/**
 * Every path does one argon2id verification (a real one, or a dummy one for unknown users and
 * legacy sha256 entries), so timing does not tell which usernames exist. `legacyHash`: the entry
 * still has the fast sha256 hash and should be rewritten now that the password is known.
 */
export async function checkFileUserPassword(
  user: UsersFileUser | undefined,
  password: string,
  argon2: Argon2Params,
): Promise<FilePasswordCheck> {
  if (user === undefined) {
    await dummyVerify(argon2);
    return { ok: false, reason: "unknown-user" };
  }
  const stored = user.password;
  if (stored.kind === "argon2") {
    const { ok } = await verifyPassword(password, stored.phc, argon2);
    return ok ? { ok: true, user, legacyHash: false } : { ok: false, reason: "wrong-password" };
  }
  const ok = verifySaltedSha256(password, stored.salt, stored.hex);
  await dummyVerify(argon2);
  return ok ? { ok: true, user, legacyHash: true } : { ok: false, reason: "wrong-password" };
}

export function publicFileUser(user: UsersFileUser): AuthenticatedFileUser {
  return Object.freeze({
    username: user.username,
    roles: user.roles,
    ...(user.email !== undefined ? { email: user.email } : {}),
    ...(user.wfc !== undefined ? { wfc: user.wfc } : {}),
    source: "file" as const,
  });
}

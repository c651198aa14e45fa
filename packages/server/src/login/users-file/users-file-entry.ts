// One user of a WESkit-style users.yaml, validated with zod. The original kept any mapping that
// had the keys roles/salt/password and crashed later on wrong types (a numeric salt gave 500);
// here every value is checked when the file is loaded, so a bad entry is skipped, counted and
// named in the log instead of failing a login.

import { z } from "zod";

/** A work function context as the tokenleader claims carry it (org + org unit + department). */
const wfcObjectSchema = z
  .object({
    id: z.number().int().optional(),
    name: z.string().min(1),
    org: z.string().min(1),
    orgunit: z.string().min(1),
    department: z.string().min(1),
  })
  .strict();

/**
 * `wfc` may be the name of a work function context known to the database, or the full context
 * written out (for file users of a server that keeps no wfc of that name).
 */
export const usersFileWfcSchema = z.union([z.string().min(1), wfcObjectSchema]);
export type UsersFileWfc = z.infer<typeof usersFileWfcSchema>;

const LEGACY_SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const ARGON2_PHC = /^\$argon2(id|i|d)\$/;

export const usersFileEntrySchema = z
  .object({
    roles: z.array(z.string().min(1, "a role name must not be empty"), {
      error: "roles must be a list of role names",
    }),
    password: z.string({ error: "password must be a string" }).min(1, "password must not be empty"),
    salt: z.string({ error: "salt must be a string" }).optional(),
    email: z.string({ error: "email must be a string" }).optional(),
    wfc: usersFileWfcSchema.optional(),
  })
  .superRefine((entry, ctx) => {
    if (ARGON2_PHC.test(entry.password)) return;
    if (!LEGACY_SHA256_HEX.test(entry.password)) {
      ctx.addIssue({
        code: "custom",
        path: ["password"],
        message: "password must be an $argon2id$ hash or a 64-digit hex sha256 (legacy)",
      });
    } else if (entry.salt === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["salt"],
        message: "missing key 'salt' (a legacy sha256 password needs its salt)",
      });
    }
  });

/** How the stored password is checked. */
export type StoredPassword =
  | { kind: "argon2"; phc: string }
  | { kind: "sha256-salted"; hex: string; salt: string };

/** A user as the login code sees it; roles and wfc go into the token claims. */
export interface UsersFileUser {
  readonly username: string;
  readonly roles: readonly string[];
  readonly email?: string;
  readonly wfc?: UsersFileWfc;
  readonly password: StoredPassword;
}

export type EntryValidation = { ok: true; user: UsersFileUser } | { ok: false; reason: string };

/** Validates one mapping value of the file; `reason` names the first problem, never a secret. */
export function validateUsersFileEntry(username: string, value: unknown): EntryValidation {
  if (username.length === 0) return { ok: false, reason: "empty username" };
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return { ok: false, reason: "the entry is not a mapping of roles/password/salt" };
  }
  const parsed = usersFileEntrySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = issue?.path.length ? String(issue.path[0]) : "entry";
    const missing =
      issue?.code === "invalid_type" && (value as Record<string, unknown>)[key] === undefined;
    if (missing) return { ok: false, reason: `missing key '${key}'` };
    if (issue?.code === "custom") return { ok: false, reason: issue.message };
    return { ok: false, reason: `${key}: ${issue?.message}` };
  }
  const entry = parsed.data;
  const password: StoredPassword = ARGON2_PHC.test(entry.password)
    ? { kind: "argon2", phc: entry.password }
    : { kind: "sha256-salted", hex: entry.password.toLowerCase(), salt: entry.salt ?? "" };
  return {
    ok: true,
    user: Object.freeze({
      username,
      roles: Object.freeze([...entry.roles]),
      ...(entry.email !== undefined ? { email: entry.email } : {}),
      ...(entry.wfc !== undefined ? { wfc: entry.wfc } : {}),
      password,
    }),
  };
}

/** True when two versions of a user differ in what a session was granted on (password, roles). */
export function userCredentialsChanged(before: UsersFileUser, after: UsersFileUser): boolean {
  const a = before.password;
  const b = after.password;
  const passwordChanged =
    a.kind !== b.kind ||
    (a.kind === "argon2" && b.kind === "argon2" && a.phc !== b.phc) ||
    (a.kind === "sha256-salted" &&
      b.kind === "sha256-salted" &&
      (a.hex !== b.hex || a.salt !== b.salt));
  const rolesChanged =
    before.roles.length !== after.roles.length || before.roles.some((r, i) => r !== after.roles[i]);
  const wfcChanged = JSON.stringify(before.wfc) !== JSON.stringify(after.wfc);
  return passwordChanged || rolesChanged || wfcChanged;
}

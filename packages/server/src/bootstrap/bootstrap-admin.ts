import { randomBytes } from "node:crypto";
import { link, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Database } from "../db/index.js";
import { isAppError } from "../errors.js";
import { writeSecretFileAtomic } from "../keys/index.js";
import type { AdminService } from "../services/index.js";

// First start on an empty database: one administrator, so `adminops` and the admin API are
// usable at once. The password is random (never a fixed default like the original's
// user1/user1), shown once, and kept in a 0600 file the operator deletes after reading.

export const BOOTSTRAP_NAME = "default";
export const BOOTSTRAP_ROLE = "admin";
export const BOOTSTRAP_USERNAME = "admin";
export const INITIAL_PASSWORD_FILE = "initial-admin-password";

export type BootstrapResult =
  | { created: false }
  | { created: true; username: string; password: string; passwordFile: string };

export async function bootstrapFirstAdmin(
  db: Database,
  adminService: AdminService,
  options: { dataDir: string; passwordMinLength?: number },
): Promise<BootstrapResult> {
  // Any user at all means the operator set things up already: never touch such a database.
  if (await db.prisma.user.findFirst({ select: { id: true } })) return { created: false };

  // Each step tolerates an earlier, interrupted bootstrap — or another server starting at the
  // same moment — having done it already.
  await ensure(() => adminService.addOrg(BOOTSTRAP_NAME));
  await ensure(() => adminService.addOrgUnit(BOOTSTRAP_NAME));
  await ensure(() => adminService.addDepartment(BOOTSTRAP_NAME));
  await ensure(() =>
    adminService.addWfc(BOOTSTRAP_NAME, BOOTSTRAP_NAME, BOOTSTRAP_NAME, BOOTSTRAP_NAME),
  );
  await ensure(() => adminService.addRole(BOOTSTRAP_ROLE));

  // Never shorter than the configured minimum, which the user service enforces on it too.
  const password = generateInitialPassword(
    Math.max(INITIAL_PASSWORD_LENGTH, options.passwordMinLength ?? 0),
  );
  const baseFile = join(options.dataDir, INITIAL_PASSWORD_FILE);
  // File first: a user whose password was never saved anywhere would be locked out. It is saved
  // under a name of this process's own and published only once the user exists, so a second server
  // starting at the same time (and losing the race) never touches the winner's file.
  const pendingFile = `${baseFile}.${randomBytes(6).toString("hex")}.pending`;
  await writeSecretFileAtomic(pendingFile, `${password}\n`);
  try {
    await adminService.addUser({
      username: BOOTSTRAP_USERNAME,
      password,
      email: null,
      roles: [BOOTSTRAP_ROLE],
      wfc: BOOTSTRAP_NAME,
    });
  } catch (error) {
    await rm(pendingFile, { force: true });
    // Another server process sharing this database bootstrapped it in the meantime.
    if (isAppError(error) && error.code === "ALREADY_EXISTS") return { created: false };
    throw error;
  }
  const passwordFile = await publishWithoutOverwriting(pendingFile, baseFile);
  return { created: true, username: BOOTSTRAP_USERNAME, password, passwordFile };
}

/**
 * Gives the pending file the first free name of `initial-admin-password`, `….2`, `….3`…: a data
 * directory used with a second database (another `[db] url`) keeps the first one's password,
 * which may be its only copy. link() fails on an existing name where rename() would replace it.
 */
async function publishWithoutOverwriting(pendingFile: string, baseFile: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? baseFile : `${baseFile}.${n}`;
    try {
      await link(pendingFile, candidate);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw error;
    }
    await rm(pendingFile, { force: true });
    return candidate;
  }
}

/** Runs an add; "already exists" means someone else did it, which is just as good. */
async function ensure(add: () => Promise<unknown>): Promise<void> {
  try {
    await add();
  } catch (error) {
    if (!(isAppError(error) && error.code === "ALREADY_EXISTS")) throw error;
  }
}

const PASSWORD_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const INITIAL_PASSWORD_LENGTH = 24;

/**
 * 24 letters and digits (about 143 bits) by default, crypto-random. Alphanumeric so it needs no
 * quoting in a shell and cannot be mistaken for a command-line option.
 */
export function generateInitialPassword(length = INITIAL_PASSWORD_LENGTH): string {
  let password = "";
  while (password.length < length) {
    for (const byte of randomBytes(32)) {
      // Rejection sampling: 248 = 4 × 62 keeps every character equally likely.
      if (byte < 248 && password.length < length) {
        password += PASSWORD_ALPHABET[byte % PASSWORD_ALPHABET.length];
      }
    }
  }
  return password;
}

// The server secret behind the login-CSRF HMAC. Kept in the data directory (0600, created
// atomically and exclusively) so that several server processes sharing it, and restarts, accept each
// other's login forms. It protects only the login form, never tokens.

import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import { writeSecretFileAtomic } from "../keys/secret-file.js";

export const LOGIN_CSRF_SECRET_FILE = "login-csrf.secret";

export async function loadOrCreateLoginCsrfSecret(dataDir: string): Promise<Buffer> {
  const file = path.join(dataDir, LOGIN_CSRF_SECRET_FILE);
  const existing = await readSecret(file);
  if (existing) return existing;
  // Exclusive: if another server process created it first, its secret wins.
  await writeSecretFileAtomic(file, `${randomBytes(32).toString("hex")}\n`, { exclusive: true });
  const stored = await readSecret(file);
  if (!stored)
    throw new Error(`${file} does not hold a 64-digit hex secret; delete it to get a new one`);
  return stored;
}

async function readSecret(file: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = await fs.readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/i.test(hex)) {
    throw new Error(`${file} does not hold a 64-digit hex secret; delete it to get a new one`);
  }
  return Buffer.from(hex, "hex");
}

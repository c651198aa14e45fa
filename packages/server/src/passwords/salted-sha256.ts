import crypto from "node:crypto";
import { constantTimeEqual } from "@tokenleader/client/http-security";

/**
 * WESkit's users.yaml scheme: `password` = lower-case hex SHA-256 of the UTF-8 password followed
 * directly by the salt, hashed once. Fast and unstretched: verify it only to migrate to argon2id.
 */
export function verifySaltedSha256(password: string, salt: string, expectedHex: string): boolean {
  const actual = crypto
    .createHash("sha256")
    .update(password + salt, "utf8")
    .digest("hex");
  // Hand-written files may carry the hex in upper case.
  return constantTimeEqual(actual, expectedHex.toLowerCase());
}

/** Produces the legacy format; for tests and for reading old files only, never for new entries. */
export function saltedSha256(password: string, salt: string): string {
  return crypto
    .createHash("sha256")
    .update(password + salt, "utf8")
    .digest("hex");
}

/**
 * How a WESkit hash is kept in a database row (an imported users.yaml user): the salt and the
 * hex in one string, `weskit-sha256$<salt>$<hex>`. The salt is any text (a uuid4 in WESkit's
 * tool), so it may itself hold `$`: the hex is what follows the last one.
 */
const STORED_PREFIX = "weskit-sha256$";

export function formatStoredSaltedSha256(salt: string, hex: string): string {
  return `${STORED_PREFIX}${salt}$${hex.toLowerCase()}`;
}

export function isStoredSaltedSha256(stored: string): boolean {
  return parseStoredSaltedSha256(stored) !== null;
}

export function parseStoredSaltedSha256(stored: string): { salt: string; hex: string } | null {
  if (!stored.startsWith(STORED_PREFIX)) return null;
  const rest = stored.slice(STORED_PREFIX.length);
  const last = rest.lastIndexOf("$");
  if (last < 0) return null;
  const hex = rest.slice(last + 1);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return null;
  return { salt: rest.slice(0, last), hex };
}

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

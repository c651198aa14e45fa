import crypto from "node:crypto";
import { promisify } from "node:util";
import { constantTimeEqual } from "@tokenleader/client/http-security";
import { hashSlots } from "./hash-slots.js";

const pbkdf2 = promisify(crypto.pbkdf2);
const scrypt = promisify(crypto.scrypt) as (
  password: crypto.BinaryLike,
  salt: crypto.BinaryLike,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/** Werkzeug 0.14 wrote `pbkdf2:sha256:50000$…`; a method without iterations meant its default. */
const WERKZEUG_014_DEFAULT_ITERATIONS = 50000;
/** A stored hash is trusted data, but a corrupt one must not pin a CPU for minutes. */
const MAX_ITERATIONS = 10_000_000;

const DIGEST_LENGTHS: Record<string, number> = { sha1: 20, sha256: 32, sha512: 64 };

export function isWerkzeugHash(stored: string): boolean {
  return /^(pbkdf2|scrypt):[^$]*\$[^$]*\$[0-9a-f]+$/i.test(stored);
}

/**
 * Verifies a Werkzeug `generate_password_hash` string, as the original tokenleader stored them:
 * `pbkdf2:<digest>[:<iterations>]$<salt>$<hex>` (digest sha256, sha1 or sha512; hex is the
 * PBKDF2-HMAC output of the digest's length over the UTF-8 password and salt) and Werkzeug 2.3+'s
 * `scrypt:<N>:<r>:<p>$<salt>$<hex>` (64-byte key). Returns false for anything unreadable. Runs in
 * a hash slot (AppError BUSY when they and their queue are full).
 */
export function verifyWerkzeugHash(password: string, stored: string): Promise<boolean> {
  return hashSlots.run(() => computeAndCompare(password, stored));
}

async function computeAndCompare(password: string, stored: string): Promise<boolean> {
  const [method, salt, expectedHex] = stored.split("$");
  if (method === undefined || salt === undefined || expectedHex === undefined) return false;
  const parts = method.split(":");
  try {
    if (parts[0] === "pbkdf2") {
      const digest = (parts[1] ?? "").toLowerCase();
      const keyLength = DIGEST_LENGTHS[digest];
      const iterations =
        parts[2] === undefined ? WERKZEUG_014_DEFAULT_ITERATIONS : Number(parts[2]);
      if (!keyLength || !Number.isSafeInteger(iterations) || iterations < 1) return false;
      if (iterations > MAX_ITERATIONS) return false;
      const derived = await pbkdf2(password, salt, iterations, keyLength, digest);
      // Werkzeug writes lower-case hex; hand-made entries may not.
      return constantTimeEqual(derived.toString("hex"), expectedHex.toLowerCase());
    }
    if (parts[0] === "scrypt" && parts.length === 4) {
      const [N, r, p] = parts.slice(1).map(Number) as [number, number, number];
      if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return false;
      const derived = await scrypt(password, salt, 64, {
        N,
        r,
        p,
        maxmem: 256 * N * r + 1024 * 1024,
      });
      return constantTimeEqual(derived.toString("hex"), expectedHex.toLowerCase());
    }
  } catch {
    return false; // e.g. scrypt parameters out of range
  }
  return false;
}

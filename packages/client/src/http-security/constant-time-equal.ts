import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

// timingSafeEqual needs inputs of equal length, and returning early on a length difference tells
// an attacker the length of a secret. Both sides are therefore first reduced to HMAC-SHA256 digests
// under a key chosen at random per process: fixed-length values an attacker can neither predict
// nor make collide, compared in time that depends on neither input's content nor length.
const COMPARISON_KEY = randomBytes(32);

function digest(value: string): Buffer {
  return createHmac("sha256", COMPARISON_KEY).update(value, "utf8").digest();
}

/** True when `a` and `b` are the same string; the time taken does not reveal where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

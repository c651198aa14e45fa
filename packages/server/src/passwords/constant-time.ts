import crypto from "node:crypto";

/**
 * Compares two hex strings without leaking, through timing, where they first differ. Hex case
 * is ignored (Werkzeug writes lower case; hand-made files may not).
 */
export function constantTimeEqualHex(actual: string, expected: string): boolean {
  const a = Buffer.from(actual.toLowerCase(), "utf8");
  const b = Buffer.from(expected.toLowerCase(), "utf8");
  // timingSafeEqual needs equal lengths; compare against itself to spend the same time.
  if (a.length !== b.length) {
    crypto.timingSafeEqual(a, a);
    return false;
  }
  return crypto.timingSafeEqual(a, b);
}

import { describe, expect, it } from "vitest";
import { createVerifiedTokenCache } from "./verified-token-cache.js";

describe("verified token cache", () => {
  const claims = (expSec: number) => ({ exp: expSec, sub: {} });

  it("serves a token until its exp, then reports it expired", () => {
    const cache = createVerifiedTokenCache({ maxEntries: 10, maxAgeMs: Number.POSITIVE_INFINITY });
    cache.set("t", claims(100), 50_000);
    expect(cache.get("t", 99_000)).toEqual({ claims: claims(100) });
    expect(cache.get("t", 100_000)).toBe("expired");
    expect(cache.get("t", 100_001)).toBeUndefined();
  });

  it("forgets entries after maxAgeMs so they are verified again", () => {
    const cache = createVerifiedTokenCache({ maxEntries: 10, maxAgeMs: 1000 });
    cache.set("t", claims(3600), 0);
    expect(cache.get("t", 999)).toEqual({ claims: claims(3600) });
    expect(cache.get("t", 2000)).toBeUndefined();
  });

  it("evicts the least recently used entry beyond maxEntries", () => {
    const cache = createVerifiedTokenCache({ maxEntries: 2, maxAgeMs: Number.POSITIVE_INFINITY });
    cache.set("a", claims(3600), 0);
    cache.set("b", claims(3600), 0);
    cache.get("a", 1);
    cache.set("c", claims(3600), 2);
    expect(cache.size).toBe(2);
    expect(cache.get("b", 3)).toBeUndefined();
    expect(cache.get("a", 3)).toEqual({ claims: claims(3600) });
  });

  it("does not cache tokens without a numeric exp, or when disabled", () => {
    const cache = createVerifiedTokenCache({ maxEntries: 10, maxAgeMs: 1000 });
    cache.set("t", { sub: {} }, 0);
    expect(cache.size).toBe(0);
    const off = createVerifiedTokenCache({ maxEntries: 0, maxAgeMs: 1000 });
    off.set("t", claims(3600), 0);
    expect(off.size).toBe(0);
  });
});

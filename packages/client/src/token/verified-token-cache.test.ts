import { randomBytes } from "node:crypto";
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

describe("verified token cache keys", () => {
  const claims = { exp: 3600, sub: {} };
  const forever = Number.POSITIVE_INFINITY;

  it("never serves one token's claims for another that ends the same way", () => {
    const cache = createVerifiedTokenCache({ maxEntries: 10, maxAgeMs: forever });
    const tail = "x".repeat(40);
    const [a, b] = [`a.${tail}`, `b.${tail}`];
    const claimsOfB = { ...claims, sub: { b: true } };
    cache.set(a, claims, 0);
    expect(cache.get(b, 1)).toBeUndefined();
    cache.set(b, claimsOfB, 2);
    expect(cache.get(b, 3)).toEqual({ claims: claimsOfB });
    // a may have made room for b, but is never answered with b's claims.
    expect([undefined, { claims }]).toContainEqual(cache.get(a, 4));
  });
});

describe("verified token cache with second-sighting admission", () => {
  const claims = { exp: 3600, sub: {} };
  const forever = Number.POSITIVE_INFINITY;
  // Tokens that end like signed JWTs: in random base64url characters.
  const token = () => randomBytes(200).toString("base64url");

  it("caches a token the second time it is verified, not the first", () => {
    const cache = createVerifiedTokenCache({
      maxEntries: 10,
      maxAgeMs: forever,
      admission: "second-sighting",
    });
    const t = token();
    cache.set(t, claims, 0);
    expect(cache.get(t, 1)).toBeUndefined();
    cache.set(t, claims, 2);
    expect(cache.get(t, 3)).toEqual({ claims });
  });

  it("keeps the tokens used again and again while a stream of one-off tokens passes", () => {
    const hot = [token(), token()];
    const oneOff = Array.from({ length: 500 }, token);
    const run = (admission: "always" | "second-sighting") => {
      const cache = createVerifiedTokenCache({ maxEntries: 4, maxAgeMs: forever, admission });
      for (const t of hot) {
        cache.set(t, claims, 0);
        cache.set(t, claims, 0);
      }
      for (const t of oneOff) cache.set(t, claims, 1);
      return hot.map((t) => cache.get(t, 2));
    };
    expect(run("second-sighting")).toEqual([{ claims }, { claims }]);
    // What the policy is for: admitting everything, the stream pushes them out.
    expect(run("always")).toEqual([undefined, undefined]);
  });
});

import { describe, expect, it } from "vitest";
import { ExpiringCache } from "./expiring-cache.js";

describe("ExpiringCache", () => {
  it("answers until each entry's time and drops the oldest beyond maxEntries", () => {
    const cache = new ExpiringCache<string, number>(2);
    cache.set("a", 1, 100);
    cache.set("b", 2, 200);
    expect(cache.get("a", 99)).toBe(1);
    expect(cache.get("a", 100)).toBeUndefined();
    cache.set("c", 3, 300);
    expect(cache.get("a", 0)).toBeUndefined();
    expect([cache.get("b", 0), cache.get("c", 0)]).toEqual([2, 3]);
    const none = new ExpiringCache<string, number>(0);
    none.set("a", 1, 100);
    expect(none.get("a", 0)).toBeUndefined();
  });

  it("does not keep a value read before a drop (a revocation during the read)", () => {
    const cache = new ExpiringCache<string, string>(10);
    const readAt = cache.generation;
    cache.deleteWhere((value) => value === "alice"); // the revocation commits meanwhile
    cache.set("sid-1", "stale", Number.POSITIVE_INFINITY, readAt);
    expect(cache.get("sid-1", 0)).toBeUndefined();
    const fresh = cache.generation;
    cache.set("sid-1", "fresh", Number.POSITIVE_INFINITY, fresh);
    expect(cache.get("sid-1", 0)).toBe("fresh");
    cache.delete("other");
    cache.set("sid-2", "late", Number.POSITIVE_INFINITY, fresh);
    expect(cache.get("sid-2", 0)).toBeUndefined();
  });

  it("clear drops every entry and any value read before it", () => {
    const cache = new ExpiringCache<string, string>(10);
    cache.set("a", "1", Number.POSITIVE_INFINITY);
    const readAt = cache.generation;
    cache.clear(); // the notice connection came back: anything may have changed
    expect(cache.get("a", 0)).toBeUndefined();
    cache.set("b", "stale", Number.POSITIVE_INFINITY, readAt);
    expect(cache.get("b", 0)).toBeUndefined();
  });
});

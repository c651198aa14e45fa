import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoTimestamp } from "../src/context.js";

describe("isoTimestamp (wfc.timestamp)", () => {
  it("is Date's toISOString for any millisecond, in any order", () => {
    // Whole milliseconds within the Date range (±8.64e15), and runs within one second.
    const ms = fc.integer({ min: -8.64e15, max: 8.64e15 });
    fc.assert(
      fc.property(
        fc.array(fc.oneof(ms, fc.integer({ min: 1.7e12, max: 1.7e12 + 2000 }))),
        (all) => {
          for (const value of all) expect(isoTimestamp(value)).toBe(new Date(value).toISOString());
        },
      ),
      { numRuns: 500 },
    );
    for (const value of [0, 999, 1000, -1, -1000, -1001, Date.now()]) {
      expect(isoTimestamp(value)).toBe(new Date(value).toISOString());
    }
  });
});

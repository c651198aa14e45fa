import { describe, expect, it } from "vitest";
import { parseSince } from "./audit-query.js";

describe("parseSince (adminops audit --since)", () => {
  const now = Date.parse("2026-12-03T12:00:00Z");

  it("reads durations back from now", () => {
    expect(parseSince("90s", now)?.toISOString()).toBe("2026-12-03T11:58:30.000Z");
    expect(parseSince("30m", now)?.toISOString()).toBe("2026-12-03T11:30:00.000Z");
    expect(parseSince("24h", now)?.toISOString()).toBe("2026-12-02T12:00:00.000Z");
    expect(parseSince("7d", now)?.toISOString()).toBe("2026-11-26T12:00:00.000Z");
    expect(parseSince("2w", now)?.toISOString()).toBe("2026-11-19T12:00:00.000Z");
  });

  it("reads ISO dates and date-times", () => {
    expect(parseSince("2026-12-01", now)?.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(parseSince("2026-12-01T08:30:00Z", now)?.toISOString()).toBe("2026-12-01T08:30:00.000Z");
    expect(parseSince("2026-12-01T08:30:00+02:00", now)?.toISOString()).toBe(
      "2026-12-01T06:30:00.000Z",
    );
  });

  it("refuses anything else rather than guessing", () => {
    for (const text of ["yesterday", "24", "h", "-1h", "2026-13-45", "12/01/2026", ""]) {
      expect(parseSince(text, now)).toBeNull();
    }
  });
});

import { describe, expect, it } from "vitest";
import { toAuditRow } from "./audit-row.js";

describe("toAuditRow: what reaches the audit table", () => {
  it("keeps the event's facts, details as JSON", () => {
    const row = toAuditRow({
      type: "token.issued",
      outcome: "success",
      actor: "alice",
      target: "alice",
      sourceAddress: "10.0.0.1",
      details: { jti: "8e0c", roles: ["a", "b"], count: 2 },
    });
    expect(row).toEqual({
      eventType: "token.issued",
      outcome: "success",
      actor: "alice",
      target: "alice",
      sourceAddress: "10.0.0.1",
      details: '{"jti":"8e0c","roles":["a","b"],"count":2}',
    });
  });

  it("drops details named like a secret and cuts anything shaped like a JWT", () => {
    const jwt = "eyJhbGciOiJSUzUxMiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
    const row = toAuditRow({
      type: "login.failed",
      outcome: "failure",
      target: `someone ${jwt}`,
      details: { password: "hunter2", refresh_token: jwt, note: `pasted ${jwt} here`, sid: "s1" },
    });
    const text = JSON.stringify(row);
    expect(text).not.toContain("hunter2");
    expect(text).not.toContain(jwt);
    expect(row.target).toBe("someone [token]");
    expect(JSON.parse(row.details!)).toEqual({ note: "pasted [token] here", sid: "s1" });
  });

  it("bounds the size of what a caller passes", () => {
    const row = toAuditRow({
      type: "login.failed",
      outcome: "failure",
      target: "x".repeat(10_000),
      details: { many: Array.from({ length: 500 }, () => "y".repeat(200)) },
    });
    expect(row.target!.length).toBeLessThanOrEqual(256);
    expect(row.details!.length).toBeLessThanOrEqual(2048);
  });
});

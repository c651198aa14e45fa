import { describe, expect, it } from "vitest";
import { describeEachProvider } from "../../test/helpers/test-databases.js";
import { createLoginCsrf, mintCsrfValue } from "./csrf.js";
import { loadOrCreateLoginCsrfSecret } from "./csrf-secret.js";

const secret = Buffer.alloc(32, 7);

describe("login CSRF", () => {
  const csrf = createLoginCsrf(secret);

  it("accepts the field issued with its cookie and nothing else", () => {
    const pair = csrf.issue();
    expect(csrf.verify(pair.cookieValue, pair.fieldValue)).toBe(true);
    const other = csrf.issue();
    expect(csrf.verify(other.cookieValue, pair.fieldValue)).toBe(false);
    expect(csrf.verify(undefined, pair.fieldValue)).toBe(false);
    expect(csrf.verify(pair.cookieValue, undefined)).toBe(false);
    expect(csrf.verify(pair.cookieValue, ["x"])).toBe(false);
    expect(csrf.verify(pair.cookieValue, `${pair.fieldValue}x`)).toBe(false);
    expect(createLoginCsrf(Buffer.alloc(32, 8)).verify(pair.cookieValue, pair.fieldValue)).toBe(
      false,
    );
  });

  it("expires forms after two hours and re-uses a valid cookie nonce", () => {
    const then = new Date("2026-01-01T10:00:00Z");
    const pair = csrf.issue(then);
    expect(csrf.verify(pair.cookieValue, pair.fieldValue, new Date("2026-01-01T11:59:00Z"))).toBe(
      true,
    );
    expect(csrf.verify(pair.cookieValue, pair.fieldValue, new Date("2026-01-01T12:01:00Z"))).toBe(
      false,
    );
    expect(csrf.issueFor(pair.cookieValue).cookieValue).toBe(pair.cookieValue);
    expect(csrf.issueFor("forged;value").cookieValue).not.toBe("forged;value");
  });

  it("never adopts a cookie value it did not sign: a planted one gets a fresh nonce", () => {
    const pair = csrf.issue();
    const [nonce, signature] = pair.cookieValue.split(".");
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const planted = [
      "A".repeat(43),
      `${"A".repeat(43)}.${signature}`,
      `${nonce}.${"A".repeat(43)}`,
      createLoginCsrf(Buffer.alloc(32, 8)).issue().cookieValue,
    ];
    for (const value of planted) {
      const issued = csrf.issueFor(value);
      expect(issued.cookieValue).not.toBe(value);
      expect(issued.cookieValue.startsWith(value.split(".")[0]!)).toBe(false);
      expect(csrf.verify(value, issued.fieldValue)).toBe(false);
      expect(csrf.verify(issued.cookieValue, issued.fieldValue)).toBe(true);
    }
  });

  it("a cookie signature is not a form field and a form field is not a cookie", () => {
    const pair = csrf.issue();
    const [nonce, signature] = pair.cookieValue.split(".");
    const issuedAt = pair.fieldValue.split(".")[0];
    expect(csrf.verify(pair.cookieValue, `${issuedAt}.${signature}`)).toBe(false);
    expect(csrf.verify(`${nonce}.${pair.fieldValue.split(".")[1]}`, pair.fieldValue)).toBe(false);
  });

  it("refuses a short secret", () => {
    expect(() => createLoginCsrf(Buffer.alloc(8))).toThrow(/at least 32 bytes/);
  });
});

describeEachProvider("login CSRF secret", (ctx) => {
  it("is created once in the database: every caller, concurrent or later, gets the same 32 bytes", async () => {
    const { db } = await ctx.createDatabase();
    const concurrent = await Promise.all([
      loadOrCreateLoginCsrfSecret(db),
      loadOrCreateLoginCsrfSecret(db),
    ]);
    const later = await loadOrCreateLoginCsrfSecret(db);
    expect(later.length).toBe(32);
    expect(concurrent[0]!.equals(later)).toBe(true);
    expect(concurrent[1]!.equals(later)).toBe(true);
  });
});

describe("CSRF values", () => {
  it("are 256-bit base64url strings", () => {
    expect(mintCsrfValue()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mintCsrfValue()).not.toBe(mintCsrfValue());
  });
});

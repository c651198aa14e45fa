import { describe, expect, it } from "vitest";
import { checkCsrfDoubleSubmit, constantTimeEqual, isUnsafeMethod, readCookie } from "./index.js";

describe("isUnsafeMethod", () => {
  it("lets GET, HEAD and OPTIONS pass without CSRF, in any letter case", () => {
    for (const method of ["GET", "HEAD", "OPTIONS", "get", "head", "options"]) {
      expect(isUnsafeMethod(method)).toBe(false);
    }
  });

  it("counts TRACE and every state-changing method as unsafe", () => {
    for (const method of [
      "TRACE",
      "trace",
      "POST",
      "PUT",
      "PATCH",
      "DELETE",
      "CONNECT",
      "PROPFIND",
    ]) {
      expect(isUnsafeMethod(method)).toBe(true);
    }
  });
});

describe("constantTimeEqual", () => {
  it("is true only for the same string", () => {
    expect(constantTimeEqual("s3cret", "s3cret")).toBe(true);
    expect(constantTimeEqual("", "")).toBe(true);
    expect(constantTimeEqual("s3cret", "s3creT")).toBe(false);
    expect(constantTimeEqual("é", "e\u0301")).toBe(false);
  });

  it("compares strings of unequal length without throwing", () => {
    expect(constantTimeEqual("a", "ab")).toBe(false);
    expect(constantTimeEqual("ab", "a")).toBe(false);
    expect(constantTimeEqual("", "x".repeat(10_000))).toBe(false);
  });
});

describe("checkCsrfDoubleSubmit", () => {
  const claim = "kC1qR7v_3nT0yFz8WmHdLxPs9aUeQbJ2oGiN4cYw5Ek";

  it("passes when the header equals the signed value", () => {
    expect(checkCsrfDoubleSubmit(claim, claim)).toEqual({ ok: true });
    expect(checkCsrfDoubleSubmit([claim], claim)).toEqual({ ok: true });
  });

  it("reports a missing or empty header as missing", () => {
    expect(checkCsrfDoubleSubmit(undefined, claim)).toEqual({ ok: false, code: "CSRF_MISSING" });
    expect(checkCsrfDoubleSubmit("", claim)).toEqual({ ok: false, code: "CSRF_MISSING" });
    expect(checkCsrfDoubleSubmit([], claim)).toEqual({ ok: false, code: "CSRF_MISSING" });
  });

  it("refuses a header sent twice, even with the right value", () => {
    expect(checkCsrfDoubleSubmit([claim, claim], claim)).toEqual({
      ok: false,
      code: "CSRF_MISSING",
    });
  });

  it("reports a different value, a prefix of it, or a token without a value as a mismatch", () => {
    const mismatch = { ok: false, code: "CSRF_MISMATCH" };
    expect(checkCsrfDoubleSubmit(`${claim}x`, claim)).toEqual(mismatch);
    expect(checkCsrfDoubleSubmit(claim.slice(0, 10), claim)).toEqual(mismatch);
    expect(checkCsrfDoubleSubmit(claim, undefined)).toEqual(mismatch);
    expect(checkCsrfDoubleSubmit(claim, "")).toEqual(mismatch);
    expect(checkCsrfDoubleSubmit(claim, 42)).toEqual(mismatch);
  });
});

describe("readCookie", () => {
  it("finds a cookie among others, unquotes and decodes it, first one winning", () => {
    expect(readCookie("a=1; access_token_cookie=x.y.z; b=2", "access_token_cookie")).toBe("x.y.z");
    expect(readCookie('n="quoted%20v"', "n")).toBe("quoted v");
    expect(readCookie("n=first; n=second", "n")).toBe("first");
    expect(readCookie("n=%E0%A4%A", "n")).toBe("%E0%A4%A");
  });

  it("finds nothing when the cookie or the whole header is missing", () => {
    expect(readCookie("xn=1; garbage; =v", "n")).toBeUndefined();
    expect(readCookie(undefined, "n")).toBeUndefined();
    expect(readCookie("", "n")).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { readCookie } from "./cookies.js";

describe("readCookie", () => {
  it("finds a cookie among others, unquotes and decodes it, first one winning", () => {
    expect(readCookie("a=1; access_token_cookie=x.y.z; b=2", "access_token_cookie")).toBe("x.y.z");
    expect(readCookie('n="quoted%20v"', "n")).toBe("quoted v");
    expect(readCookie("n=first; n=second", "n")).toBe("first");
    expect(readCookie("n=%E0%A4%A", "n")).toBe("%E0%A4%A");
    expect(readCookie("xn=1; garbage; =v", "n")).toBeUndefined();
    expect(readCookie(undefined, "n")).toBeUndefined();
  });
});

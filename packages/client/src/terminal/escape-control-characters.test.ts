import { describe, expect, it } from "vitest";
import { escapeControlCharacters } from "./escape-control-characters.js";

describe("escapeControlCharacters", () => {
  it("leaves ordinary text, accents and other scripts as they are", () => {
    expect(escapeControlCharacters("alice")).toBe("alice");
    expect(escapeControlCharacters("José Müller-Łukasz 山田 עברית")).toBe(
      "José Müller-Łukasz 山田 עברית",
    );
  });

  it("writes newlines, tabs and carriage returns as \\n, \\t and \\r", () => {
    expect(escapeControlCharacters("a\nb\rc\td")).toBe("a\\nb\\rc\\td");
  });

  it("writes ESC, NUL, DEL and C1 controls as \\x escapes", () => {
    expect(escapeControlCharacters("\u001b[31mred\u0000\u007f\u009b")).toBe(
      "\\x1b[31mred\\x00\\x7f\\x9b",
    );
  });

  it("makes a right-to-left override and other bidi or invisible characters visible", () => {
    expect(escapeControlCharacters("\u202enimda")).toBe("\\u{202e}nimda");
    expect(escapeControlCharacters("a\u2066b\u200bc\ufeffd\u2028e")).toBe(
      "a\\u{2066}b\\u{200b}c\\u{feff}d\\u{2028}e",
    );
  });

  it("escapes the backslash, so an escape cannot be faked by typing one", () => {
    expect(escapeControlCharacters("a\\nb")).toBe("a\\\\nb");
    expect(escapeControlCharacters("a\\nb")).not.toBe(escapeControlCharacters("a\nb"));
  });
});

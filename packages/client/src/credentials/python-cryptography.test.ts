import { describe, expect, it } from "vitest";
import { pythonRequired, pythonTestMode } from "./python-cryptography.test-helpers.js";

describe("the Fernet interop test's Python requirement", () => {
  it("runs where Python's cryptography is installed, required or not", () => {
    expect(pythonTestMode(true, false)).toBe("run");
    expect(pythonTestMode(true, true)).toBe("run");
  });

  it("skips without it on a laptop, fails without it when TOKENLEADER_TEST_REQUIRE_PYTHON=1", () => {
    expect(pythonTestMode(false, false)).toBe("skip");
    expect(pythonTestMode(false, true)).toBe("fail");
  });

  it("is required only when TOKENLEADER_TEST_REQUIRE_PYTHON is exactly 1", () => {
    expect(pythonRequired({ TOKENLEADER_TEST_REQUIRE_PYTHON: "1" })).toBe(true);
    expect(pythonRequired({ TOKENLEADER_TEST_REQUIRE_PYTHON: "0" })).toBe(false);
    expect(pythonRequired({})).toBe(false);
  });
});

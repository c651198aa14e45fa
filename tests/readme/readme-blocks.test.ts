import { describe, expect, it } from "vitest";
import { extractShellBlocks } from "./readme-blocks.js";

describe("README shell blocks", () => {
  it("finds the sh blocks in order with their lines, ignoring other languages", () => {
    const markdown = [
      "# Title", //                                   1
      "```sh", //                                     2
      "echo one", //                                  3
      "```", //                                       4
      "```ini", //                                    5
      "[server]", //                                  6
      "```", //                                       7
      "```sh", //                                     8
      "echo two", //                                  9
      "echo three", //                               10
      "```", //                                      11
    ].join("\n");
    expect(extractShellBlocks(markdown)).toEqual([
      { line: 2, code: "echo one", mode: "run" },
      { line: 8, code: "echo two\necho three", mode: "run" },
    ]);
  });

  it("reads the markers right before a block, blank lines allowed", () => {
    const markdown = [
      "<!-- not run by the README test: needs root -->",
      "```sh",
      "apt-get install -y x",
      "```",
      "<!-- README test: background -->",
      "",
      "```sh",
      "pnpm start",
      "```",
    ].join("\n");
    expect(extractShellBlocks(markdown)).toEqual([
      { line: 2, code: "apt-get install -y x", mode: "skip", reason: "needs root" },
      { line: 7, code: "pnpm start", mode: "background" },
    ]);
  });

  it("refuses a marker separated from its block by prose, or before a non-sh block", () => {
    expect(() =>
      extractShellBlocks(
        ["<!-- not run by the README test: x -->", "Some prose.", "```sh", "ls", "```"].join("\n"),
      ),
    ).toThrow("README line 2: a README-test marker must come right before a block");
    expect(() =>
      extractShellBlocks(["<!-- README test: background -->", "```ini", "a = 1", "```"].join("\n")),
    ).toThrow("README line 2: a README-test marker before a non-sh block");
  });

  it("refuses an unclosed block", () => {
    expect(() => extractShellBlocks("```sh\necho one\n")).toThrow(
      "README line 1: unclosed code block",
    );
  });
});

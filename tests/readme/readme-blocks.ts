// The ```sh blocks of a README, in order, with what the README test does with each. An HTML
// comment right before a block (blank lines between allowed) marks the exceptions:
//   <!-- not run by the README test: why -->   skipped (and listed by the test)
//   <!-- README test: background -->           started in the background (a server that keeps
//                                              running), the next block waits for /readyz

export type BlockMode = "run" | "background" | "skip";

export interface ShellBlock {
  /** 1-based line of the opening fence in the README. */
  line: number;
  code: string;
  mode: BlockMode;
  /** Why the block is not run (mode "skip"). */
  reason?: string;
}

const SKIP_MARKER = /^<!--\s*not run by the README test:\s*(.+?)\s*-->$/;
const BACKGROUND_MARKER = /^<!--\s*README test:\s*background\s*-->$/;
const OPENING_FENCE = /^```(\S*)\s*$/;

export function extractShellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split("\n");
  const blocks: ShellBlock[] = [];
  let marker: { mode: BlockMode; reason?: string } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.trim();
    const skip = SKIP_MARKER.exec(text);
    if (skip) {
      marker = { mode: "skip", reason: skip[1]! };
      continue;
    }
    if (BACKGROUND_MARKER.test(text)) {
      marker = { mode: "background" };
      continue;
    }
    const fence = OPENING_FENCE.exec(text);
    if (!fence) {
      // A marker belongs to the block right after it; prose in between orphans it.
      if (text !== "" && marker) {
        throw new Error(
          `README line ${i + 1}: a README-test marker must come right before a block`,
        );
      }
      continue;
    }
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]!.trim() !== "```"; i++) body.push(lines[i]!);
    if (i >= lines.length) throw new Error(`README line ${start + 1}: unclosed code block`);
    if (fence[1] === "sh") {
      blocks.push({ line: start + 1, code: body.join("\n"), mode: "run", ...marker });
    } else if (marker) {
      throw new Error(`README line ${start + 1}: a README-test marker before a non-sh block`);
    }
    marker = null;
  }
  return blocks;
}

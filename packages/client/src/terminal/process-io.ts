import type { CliIo } from "./io.js";
import { promptHidden, promptLine } from "./prompts.js";
import { readAllStdin } from "./read-stdin.js";

/** The real terminal: process stdout, stderr and stdin. */
export const processIo: CliIo = {
  out: (text) => {
    process.stdout.write(text);
  },
  err: (text) => {
    process.stderr.write(text);
  },
  get stdinIsTty() {
    return process.stdin.isTTY === true;
  },
  readStdin: () => readAllStdin(),
  prompt: promptLine,
  promptHidden,
};

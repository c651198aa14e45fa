import { promptHidden } from "../tokenleader-auth/prompt-password.js";
import { readAllStdin } from "./read-stdin.js";

/**
 * Everything a CLI run reads from or writes to the terminal, so a run can be captured in tests
 * (createCapturedIo) or embedded in another program. The default is the real process.
 */
export interface CliIo {
  /** Standard output (results). */
  out(text: string): void;
  /** Standard error (one-line errors, warnings, prompts). */
  err(text: string): void;
  /** Whether standard input is a terminal, i.e. whether a prompt can be answered. */
  readonly stdinIsTty: boolean;
  /** All of standard input (for --password-stdin and `-t -`). */
  readStdin(): Promise<string>;
  /** Asks on the terminal without echoing the answer. */
  promptHidden(question: string): Promise<string>;
}

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
  promptHidden,
};

import { createInterface } from "node:readline";
import { Writable } from "node:stream";

/**
 * A prompt got no answer: Ctrl-C, or Ctrl-D / end of input before a line was entered. Its
 * message is just "cancelled"; the CLIs report it as a one-line error.
 */
export class PromptCancelledError extends Error {
  override readonly name = "PromptCancelledError";
  constructor() {
    super("cancelled");
  }
}

/** Asks on the terminal with echo (a confirmation); the question goes to stderr. */
export function promptLine(question: string): Promise<string> {
  return ask(question, process.stderr, () => {});
}

/** Asks on the terminal without echoing what is typed (the question itself goes to stderr). */
export function promptHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const answer = ask(question, output, () => process.stderr.write("\n"));
  // From here on the terminal's echo of the typed characters goes nowhere.
  muted = true;
  return answer;
}

/**
 * One line from the terminal. Ctrl-C, and Ctrl-D or the end of input before a line was
 * entered (readline closes), reject with PromptCancelledError ("cancelled"): without that the
 * promise would never settle and the program would end without a word.
 */
function ask(question: string, output: NodeJS.WritableStream, afterAnswer: () => void) {
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const cancel = () => {
      if (settled) return;
      settled = true;
      rl.close();
      // The cursor is still after the question: the error goes on a line of its own.
      process.stderr.write("\n");
      reject(new PromptCancelledError());
    };
    rl.on("SIGINT", cancel);
    rl.on("close", cancel);
    rl.question(question, (answer) => {
      if (settled) return;
      settled = true;
      rl.close();
      afterAnswer();
      resolve(answer);
    });
  });
}

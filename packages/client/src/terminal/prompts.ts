import { createInterface } from "node:readline";
import { Writable } from "node:stream";

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

/** One line from the terminal; Ctrl-C rejects with "cancelled". */
function ask(question: string, output: NodeJS.WritableStream, afterAnswer: () => void) {
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  return new Promise<string>((resolve, reject) => {
    rl.on("SIGINT", () => {
      rl.close();
      process.stderr.write("\n");
      reject(new Error("cancelled"));
    });
    rl.question(question, (answer) => {
      rl.close();
      afterAnswer();
      resolve(answer);
    });
  });
}

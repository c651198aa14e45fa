import { createInterface } from "node:readline";
import type { CliIo } from "./io.js";

/** The real terminal: process stdout/stderr/stdin. */
export function createProcessIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    stdinIsTty: Boolean(process.stdin.isTTY),
    readStdin,
    prompt: askLine,
    promptHidden: askHidden,
  };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads one line from the terminal, echoed; the question goes to stderr. */
function askLine(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    rl.on("SIGINT", () => {
      rl.close();
      process.stderr.write("\n");
      reject(new Error("cancelled"));
    });
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
  });
}

/**
 * Reads one line from the terminal in raw mode, echoing nothing: the password never shows on
 * screen or in scrollback. Backspace edits, Ctrl-C / Ctrl-D cancel.
 */
function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) return Promise.reject(new Error("no terminal to prompt on"));
  process.stderr.write(question);
  return new Promise((resolve, reject) => {
    let answer = "";
    const finish = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      process.stderr.write("\n");
      if (error) reject(error);
      else resolve(answer);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") return finish();
        if (char === "\u0003" || char === "\u0004") return finish(new Error("cancelled"));
        if (char === "\u007f" || char === "\b") answer = [...answer].slice(0, -1).join("");
        else if (char >= " ") answer += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on("data", onData);
  });
}

// Terminal input for the localusers tool: visible questions, passwords read without echo (raw
// mode; the original echoed them), and the whole of stdin for --password-stdin.

import { createInterface } from "node:readline";

/** Everything the localusers commands read and write; tests pass an in-memory one. */
export interface LocalUsersIo {
  out(text: string): void;
  err(text: string): void;
  /** True when a person can answer prompts (stdin and stdout are terminals). */
  readonly interactive: boolean;
  ask(question: string): Promise<string>;
  askSecret(question: string): Promise<string>;
  /** All of stdin (for --password-stdin). */
  readStdin(): Promise<string>;
}

export class PromptCancelledError extends Error {
  readonly code = "PROMPT_CANCELLED";
  constructor() {
    super("cancelled");
  }
}

export function createProcessIo(): LocalUsersIo {
  const stdin = process.stdin;
  const stdout = process.stdout;
  return {
    out: (text) => stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    interactive: Boolean(stdin.isTTY && stdout.isTTY),
    ask: (question) => askLine(question, stdin, stdout),
    askSecret: (question) => askSecret(question, stdin, stdout),
    readStdin: () => readAll(stdin),
  };
}

function askLine(question: string, input: NodeJS.ReadableStream, output: NodeJS.WritableStream) {
  return new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input, output, terminal: true });
    let answered = false;
    rl.on("close", () => {
      if (!answered) reject(new PromptCancelledError());
    });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}

/** Reads one line with the terminal in raw mode so nothing typed is shown. */
function askSecret(question: string, input: NodeJS.ReadStream, output: NodeJS.WritableStream) {
  return new Promise<string>((resolve, reject) => {
    output.write(question);
    let value = "";
    const wasRaw = input.isRaw;
    input.setRawMode?.(true);
    input.resume();
    input.setEncoding("utf8");
    const finish = (error: Error | null) => {
      input.off("data", onData);
      input.setRawMode?.(wasRaw);
      input.pause();
      output.write("\n");
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") return finish(null);
        if (ch === "\u0003" || (ch === "\u0004" && value === ""))
          return finish(new PromptCancelledError());
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    input.on("data", onData);
  });
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}

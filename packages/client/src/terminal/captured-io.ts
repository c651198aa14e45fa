import type { CliIo } from "./io.js";

export interface CapturedIo extends CliIo {
  /** Everything written to stdout so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** The prompts shown, in order. */
  readonly questions: string[];
}

/**
 * An in-memory CliIo for tests (and for running a CLI inside another program): `stdin` is what
 * --password-stdin reads, `answers` are returned to prompts in order, `tty` says whether prompts
 * are possible. A prompt without a scripted answer fails.
 */
export function createCapturedIo(
  options: { stdin?: string; tty?: boolean; answers?: string[] } = {},
): CapturedIo {
  let stdout = "";
  let stderr = "";
  const answers = [...(options.answers ?? [])];
  const questions: string[] = [];
  const answer = async (question: string) => {
    questions.push(question);
    const next = answers.shift();
    if (next === undefined) throw new Error(`no scripted answer for prompt: ${question}`);
    return next;
  };
  return {
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    stdinIsTty: options.tty ?? false,
    readStdin: async () => options.stdin ?? "",
    prompt: answer,
    promptHidden: answer,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    questions,
  };
}

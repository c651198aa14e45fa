// What a CLI command may touch of the outside world. Commands receive a CliIo instead of using
// process.* directly, so tests run them in-process with captured output and scripted input.

export interface CliIo {
  /** Writes to standard output exactly as given (add "\n" yourself). */
  out(text: string): void;
  /** Writes to standard error exactly as given. */
  err(text: string): void;
  /** True when standard input is an interactive terminal (prompts are allowed). */
  readonly stdinIsTty: boolean;
  /** Reads all of standard input as UTF-8 (for --password-stdin). */
  readStdin(): Promise<string>;
  /** Asks on the terminal without echoing the answer (passwords). */
  promptHidden(question: string): Promise<string>;
  /** Asks on the terminal with echo (confirmations). */
  prompt(question: string): Promise<string>;
}

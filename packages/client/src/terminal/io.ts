// What a CLI may touch of the terminal. Commands receive a CliIo instead of using process.*
// directly, so tests run them in-process with captured output and scripted input, and other
// programs can embed them. Shared by the client's CLIs and the server's adminops
// (`@tokenleader/client/terminal`).

export interface CliIo {
  /** Writes to standard output exactly as given (results; add "\n" yourself). */
  out(text: string): void;
  /** Writes to standard error exactly as given (one-line errors, warnings, prompts). */
  err(text: string): void;
  /** Whether standard input is a terminal, i.e. whether a prompt can be answered. */
  readonly stdinIsTty: boolean;
  /** All of standard input as UTF-8 (for --password-stdin and `-t -`), bounded. */
  readStdin(): Promise<string>;
  /** Asks on the terminal with echo (confirmations). */
  prompt(question: string): Promise<string>;
  /** Asks on the terminal without echoing the answer (passwords). */
  promptHidden(question: string): Promise<string>;
}

// What the localusers tool reads and writes. adminops adapts its CliIo (hidden password prompts:
// the original echoed them) to this line-oriented shape.

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

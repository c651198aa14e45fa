// A key problem stops the server at start-up: one line naming the file and the fix, printed by
// the CLI. The code is stable so callers and tests can tell the cases apart.

export type KeyErrorCode =
  | "KEY_FILE_UNREADABLE"
  | "KEY_FILE_MALFORMED"
  | "KEY_WRONG_TYPE"
  | "KEY_TOO_WEAK"
  | "KEY_PAIR_MISMATCH"
  | "KEY_CONFIG_INCOMPLETE"
  | "KEY_ENCRYPTION_KEY_INVALID"
  | "KEY_ENCRYPTION_KEY_WRONG"
  | "KEY_ALGORITHM_MISMATCH"
  | "KEY_NONE_ACTIVE";

export class KeyError extends Error {
  constructor(
    readonly code: KeyErrorCode,
    message: string,
    /** The file the problem is about, when there is one. */
    readonly file: string | null = null,
  ) {
    super(message);
    this.name = "KeyError";
  }
}

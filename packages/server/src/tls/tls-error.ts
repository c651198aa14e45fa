// A certificate problem: at start it stops the server (one line naming the file and the fix, printed
// by the CLI); on a SIGHUP reload it is logged and the certificate in use stays.

export type TlsErrorCode =
  | "TLS_FILE_UNREADABLE"
  | "TLS_CERT_MALFORMED"
  | "TLS_KEY_MALFORMED"
  | "TLS_KEY_MISMATCH"
  | "TLS_ADHOC_FAILED";

export class TlsError extends Error {
  constructor(
    readonly code: TlsErrorCode,
    message: string,
    /** The file the problem is about, when there is one. */
    readonly file: string | null = null,
  ) {
    super(message);
    this.name = "TlsError";
  }
}

/**
 * Every failure the SDK reports is a ClientError with one of these stable codes, so callers and the
 * CLI can branch on `code` instead of parsing messages.
 */
export type ClientErrorCode =
  /** Connection refused, DNS failure, reset… */
  | "NETWORK"
  /** Certificate or TLS handshake failure. */
  | "TLS"
  /** No answer within the configured timeout. */
  | "TIMEOUT"
  /** The server refused the credentials or the token (wrong password, unknown user, RBAC denial). */
  | "AUTH"
  /** The server failed (HTTP 5xx). */
  | "SERVER"
  /** The server has no such record or route (HTTP 404 with a JSON body). */
  | "NOT_FOUND"
  /** The record exists already or is still referenced (HTTP 409 with a JSON body). */
  | "CONFLICT"
  /**
   * The server refused the request as given: missing or malformed fields, unknown references
   * (HTTP 400, 422 and any other 4xx with a JSON body that has no code of its own).
   */
  | "INVALID_REQUEST"
  /** Too many requests (HTTP 429); the server's answer says when to try again. */
  | "RATE_LIMITED"
  /** The server answered something that is not the expected JSON (unparseable or wrong shape). */
  | "BAD_RESPONSE"
  /** The client config file is missing or invalid. */
  | "CONFIG"
  /** The stored password cannot be read or decrypted, or no password is available. */
  | "CREDENTIALS";

export class ClientError extends Error {
  readonly code: ClientErrorCode;
  /** HTTP status when the server answered. */
  readonly httpStatus?: number;
  /** Parsed server body when there was one (e.g. `{status: "Wrong Password", …}`). */
  readonly body?: unknown;

  constructor(
    code: ClientErrorCode,
    message: string,
    options: { cause?: unknown; httpStatus?: number; body?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ClientError";
    this.code = code;
    this.httpStatus = options.httpStatus;
    this.body = options.body;
  }
}

export function isClientError(err: unknown): err is ClientError {
  return err instanceof ClientError;
}

/**
 * The original client's error dict (reference §5.5, "conect" sic), for scripts written against the
 * Python client's output. Only the CLI's `--compat` mode uses it.
 */
export function toCompatErrorBody(err: unknown): { error: string } {
  const message = err instanceof Error ? err.message : String(err);
  return { error: `could not conect to server , the error is ${message}` };
}

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

export interface ClientErrorOptions {
  cause?: unknown;
  httpStatus?: number;
  body?: unknown;
  /** The server's own error code (`body.code`, e.g. "RULE_NOT_GRANTED"). */
  serverCode?: string;
  /** The server's explanation (`body.reason`, e.g. which role lacks which rule). */
  reason?: string;
}

export class ClientError extends Error {
  readonly code: ClientErrorCode;
  /** HTTP status when the server answered. */
  readonly httpStatus?: number;
  /** Parsed server body when there was one (e.g. `{status: "Wrong Password", …}`). */
  readonly body?: unknown;
  /**
   * The server's stable error code from a JSON error body (`code`: "RULE_NOT_GRANTED",
   * "TOKEN_EXPIRED", "ALREADY_EXISTS"…); `code` above is the client's own classification.
   */
  readonly serverCode?: string;
  /** The server's `reason` from a JSON error body (the enforcer says there why it refused). */
  readonly reason?: string;

  constructor(code: ClientErrorCode, message: string, options: ClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ClientError";
    this.code = code;
    this.httpStatus = options.httpStatus;
    this.body = options.body;
    this.serverCode = options.serverCode;
    this.reason = options.reason;
  }
}

/**
 * A value of a server's JSON body fit for a one-line message: a string with its whitespace
 * (newlines included) collapsed to single spaces; undefined for anything else or blank text.
 */
export function oneLineText(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== ""
    ? value.replace(/\s+/g, " ").trim()
    : undefined;
}

/** `code` and `reason` of a JSON error body, when they are non-empty strings. */
export function serverErrorDetails(body: unknown): { serverCode?: string; reason?: string } {
  if (typeof body !== "object" || body === null) return {};
  const { code, reason } = body as { code?: unknown; reason?: unknown };
  const details: { serverCode?: string; reason?: string } = {};
  const serverCode = oneLineText(code);
  const why = oneLineText(reason);
  if (serverCode !== undefined) details.serverCode = serverCode;
  if (why !== undefined) details.reason = why;
  return details;
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

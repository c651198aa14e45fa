// The one error table of the server: a stable code, an HTTP status and a default public
// message per error. Library errors (Prisma, the data layer) are translated here, at the
// boundary, so the CLI and the HTTP layer only ever deal with AppError.

import { isDatabaseUnavailable } from "./db/database-faults.js";
import { isDatabaseError } from "./db/errors.js";

export const ERROR_TABLE = {
  VALIDATION_FAILED: { httpStatus: 400, message: "the request is not valid" },
  BAD_REQUEST: { httpStatus: 400, message: "bad request" },
  AUTH_FAILED: { httpStatus: 401, message: "authentication failed" },
  TOKEN_INVALID: { httpStatus: 401, message: "invalid token" },
  TOKEN_EXPIRED: { httpStatus: 401, message: "token expired" },
  FORBIDDEN: { httpStatus: 403, message: "not allowed" },
  CSRF_FAILED: { httpStatus: 403, message: "CSRF check failed" },
  NOT_FOUND: { httpStatus: 404, message: "not found" },
  ROUTE_NOT_FOUND: { httpStatus: 404, message: "no such route" },
  METHOD_NOT_ALLOWED: { httpStatus: 405, message: "method not allowed" },
  ALREADY_EXISTS: { httpStatus: 409, message: "already exists" },
  STILL_REFERENCED: { httpStatus: 409, message: "still in use" },
  KEY_STILL_NEEDED: { httpStatus: 409, message: "the signing key is still needed" },
  PAYLOAD_TOO_LARGE: { httpStatus: 413, message: "request body too large" },
  UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, message: "unsupported content type" },
  UNKNOWN_REFERENCE: { httpStatus: 422, message: "refers to something that does not exist" },
  /** adminops import: the source database or file cannot be opened, read or recognised. */
  IMPORT_SOURCE_UNREADABLE: { httpStatus: 422, message: "the import source cannot be read" },
  RATE_LIMITED: { httpStatus: 429, message: "too many requests" },
  INTERNAL: { httpStatus: 500, message: "internal error" },
  DB_UNREACHABLE: { httpStatus: 503, message: "the database is not reachable" },
  // A database fault while serving (lost connection, timeout, busy SQLite file, server going
  // down): expected, temporary, answered with Retry-After. A 500 is kept for bugs.
  DB_UNAVAILABLE: {
    httpStatus: 503,
    message: "the database is temporarily unavailable: try again shortly",
  },
  DB_NOT_INITIALISED: { httpStatus: 503, message: "the database is not initialised" },
  NOT_READY: { httpStatus: 503, message: "the service is not ready" },
  BUSY: { httpStatus: 503, message: "too many password checks at once; retry shortly" },
} as const satisfies Record<string, { httpStatus: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

/** Per-field problems, e.g. `{ field: "name", problem: "must not be empty" }`. */
export interface ErrorDetail {
  field: string;
  problem: string;
}

export class AppError extends Error {
  override readonly name = "AppError";
  readonly httpStatus: number;
  readonly details?: readonly ErrorDetail[];
  /**
   * The input at fault (the service layer's name for it, e.g. "ou" of a wfc), so callers can
   * point at the request key without reading the message. Defaults to the first detail's field.
   */
  readonly field?: string;
  /** Seconds after which a retry may succeed (HTTP Retry-After), for refusals of load. */
  readonly retryAfterSec?: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    options?: {
      details?: readonly ErrorDetail[];
      field?: string;
      cause?: unknown;
      retryAfterSec?: number;
    },
  ) {
    super(message ?? ERROR_TABLE[code].message, { cause: options?.cause });
    this.httpStatus = ERROR_TABLE[code].httpStatus;
    if (options?.details) this.details = options.details;
    const field = options?.field ?? options?.details?.[0]?.field;
    if (field !== undefined) this.field = field;
    if (options?.retryAfterSec !== undefined) this.retryAfterSec = options.retryAfterSec;
  }

  /**
   * What a client may see. 4xx messages are written for the caller; 5xx messages may name
   * internals (a database host, a file), so clients get the table's generic text instead.
   */
  get publicMessage(): string {
    return this.httpStatus >= 500 ? ERROR_TABLE[this.code].message : this.message;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Prisma's known request errors, recognised by shape so this file needs no Prisma import. */
interface PrismaKnownError {
  name: string;
  code: string;
  message: string;
  meta?: Record<string, unknown>;
}

/** A Prisma unique-constraint violation (P2002): "insert if absent" lost to another writer. */
export function isUniqueViolation(error: unknown): boolean {
  return isPrismaKnownError(error) && error.code === "P2002";
}

function isPrismaKnownError(error: unknown): error is PrismaKnownError {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { name?: unknown }).name === "PrismaClientKnownRequestError" &&
    typeof (error as { code?: unknown }).code === "string"
  );
}

function errorName(error: unknown): string | undefined {
  return typeof error === "object" && error !== null
    ? String((error as { name?: unknown }).name)
    : undefined;
}

/**
 * Turns any error into an AppError: AppErrors pass through; data-layer errors and Prisma
 * errors get their stable code (P2002 unique → ALREADY_EXISTS, P2003 foreign key →
 * STILL_REFERENCED, P2025 missing record → NOT_FOUND, missing table → DB_NOT_INITIALISED,
 * lost connections, timeouts, a busy database → DB_UNAVAILABLE); anything else becomes INTERNAL
 * with the original kept as `cause` for the log. `subject` names the record for messages ("org1").
 */
export function toAppError(error: unknown, subject?: string): AppError {
  if (isAppError(error)) return error;
  if (isDatabaseError(error)) {
    const code: ErrorCode =
      error.code === "DB_NOT_INITIALISED"
        ? "DB_NOT_INITIALISED"
        : error.code === "DB_UNREACHABLE"
          ? "DB_UNREACHABLE"
          : "INTERNAL";
    return new AppError(code, error.message, { cause: error });
  }
  if (isDatabaseUnavailable(error)) {
    return new AppError(
      "DB_UNAVAILABLE",
      `the database is temporarily unavailable: ${databaseFaultReason(error)}`,
      { cause: error },
    );
  }
  if (isPrismaKnownError(error)) {
    switch (error.code) {
      case "P2002":
        return new AppError(
          "ALREADY_EXISTS",
          subject
            ? `${subject} already exists`
            : "a record with the same unique value already exists",
          { cause: error },
        );
      case "P2003":
        return new AppError(
          "STILL_REFERENCED",
          subject
            ? `${subject} is still referenced by other records`
            : "the record is still referenced by other records",
          { cause: error },
        );
      case "P2025":
        return new AppError("NOT_FOUND", subject ? `${subject} not found` : undefined, {
          cause: error,
        });
      case "P2021":
      case "P2022":
        return new AppError(
          "DB_NOT_INITIALISED",
          "the database is not initialised: run adminops initdb",
          { cause: error },
        );
      case "P1000":
      case "P1003":
        return new AppError("DB_UNREACHABLE", undefined, { cause: error });
    }
  }
  if (errorName(error) === "PrismaClientInitializationError") {
    return new AppError("DB_UNREACHABLE", undefined, { cause: error });
  }
  return new AppError("INTERNAL", undefined, { cause: error });
}

/**
 * One line for operators (adminops, the log): the driver's own message where Prisma wrapped it
 * ("Invalid `prisma.user.findMany()` invocation: … Message: `…`").
 */
function databaseFaultReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const driverMessage = /Message: `([^`]*)`/.exec(message)?.[1];
  const lines = (driverMessage ?? message).split("\n").filter((line) => line.trim() !== "");
  return (lines.at(-1) ?? "unknown").replace(/\s+/g, " ").trim().slice(0, 300);
}

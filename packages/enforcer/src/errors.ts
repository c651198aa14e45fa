/**
 * Errors the enforcer throws at start-up or on reload (never per request: request failures are
 * denials, see `denial.ts`). Each carries a stable `code` so callers can branch without parsing text.
 */
export type EnforcerErrorCode =
  | "ACL_MAP_UNREADABLE"
  | "ACL_MAP_INVALID"
  | "ENFORCER_OPTIONS_INVALID"
  | "VERIFICATION_KEY_INVALID";

export class EnforcerError extends Error {
  readonly code: EnforcerErrorCode;

  constructor(code: EnforcerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EnforcerError";
    this.code = code;
  }
}

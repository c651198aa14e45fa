import { ERROR_TABLE, type ErrorCode } from "../errors.js";

// Every error the HTTP layer produces has the original's `{status, message}` shape (clients read
// `status`), plus a stable `code` for programs.

export interface ErrorBody {
  status: string;
  message: string;
  code: string;
}

export function errorBody(code: ErrorCode, message?: string): ErrorBody {
  return { status: ERROR_TABLE[code].message, message: message ?? ERROR_TABLE[code].message, code };
}

/** JSON schema of ErrorBody, for route `response` sections (and the OpenAPI document). */
export const errorBodySchema = {
  type: "object",
  properties: {
    status: { type: "string" },
    message: { type: "string" },
    code: { type: "string" },
  },
  required: ["status", "message"],
} as const;

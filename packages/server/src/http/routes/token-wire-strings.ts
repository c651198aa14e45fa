// Exact gettoken reply strings of the original (reference §3.2). Clients compare `status`
// verbatim: keep the trailing space of the "missing" status.

export const GETTOKEN_SUCCESS = { status: "success", message: "success" } as const;

export const GETTOKEN_MISSING = {
  status: "missing authentication info ",
  message: "no authentication information provided",
} as const;

export const GETTOKEN_UNKNOWN_USER = {
  status: "User not registered",
  message: "user not found, not registered yet",
} as const;

export const GETTOKEN_WRONG_PASSWORD = {
  status: "Wrong Password",
  message: "Password did not match",
} as const;

/**
 * Not in the original (it had no guessing limit): the 429 of the guessing policy, in the same
 * shape, and the same for known and unknown users.
 */
export function gettokenLimited(retryAfterSec: number) {
  return {
    status: "Too Many Attempts",
    message: `too many failed login attempts; try again in ${retryAfterSec} s`,
  } as const;
}

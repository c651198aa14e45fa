import { constantTimeEqual } from "./constant-time-equal.js";

/** The header an unsafe cookie-authenticated request carries its CSRF value in (lower case, as Node delivers it). */
export const CSRF_HEADER = "x-csrf-token";

export type CsrfCheck = { ok: true } | { ok: false; code: "CSRF_MISSING" | "CSRF_MISMATCH" };

/**
 * The stateless double-submit check (flask-jwt-extended's, used by the cookie login): the
 * X-CSRF-TOKEN header must equal the `csrf` value signed into the cookie's token. A cross-site page
 * can make the browser send the cookie but cannot read the value to put it in the header.
 *
 * `header` is the raw header as Node delivers it. Sent more than once it is refused rather than
 * picking one of the values: a request that is not sure of its token does not pass.
 */
export function checkCsrfDoubleSubmit(
  header: string | readonly string[] | undefined,
  expected: unknown,
): CsrfCheck {
  const sent = typeof header === "string" ? header : header?.length === 1 ? header[0] : undefined;
  if (sent === undefined || sent === "") return { ok: false, code: "CSRF_MISSING" };
  if (typeof expected !== "string" || expected === "" || !constantTimeEqual(sent, expected)) {
    return { ok: false, code: "CSRF_MISMATCH" };
  }
  return { ok: true };
}

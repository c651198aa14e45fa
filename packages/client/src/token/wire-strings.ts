// Exact strings of the original tokenleader 1.8 `/token/verify_token` and `Client.verify_token`
// (reference §3.3). Clients compare them verbatim, so the typos ("verifiaction") and the odd spacing
// (two spaces after "header", two trailing spaces) are deliberate. Do not "fix" them.

export const VERIFY_STATUS = {
  success: "Verification Successful",
  expired: "Signature expired",
  invalid: "Invalid token",
  /** Two spaces between "header" and "missing". */
  missingHeader: "request header  missing 'X-Auth-Token' key or token value",
} as const;

export const VERIFY_MESSAGE = {
  success: "Token has been successfully decrypted",
  expired: "Signature expired. Please log in and get a fresh token and send it for reverify.",
  invalid: "Invalid token. obtain a valid token and send it for verifiaction",
  /** Ends with two spaces. */
  missingHeader:
    "The request header must carry a 'X-Auth-Token' key whose value should be a valid JWT token  ",
} as const;

/** For success the payload is the claims object; for the other outcomes it is one of these. */
export const VERIFY_PAYLOAD = {
  expired: "Signature expired. Please log in again.",
  invalid: "Invalid token. Please log in again.",
} as const;

/** The only header the original reads the token from (matched case-insensitively by HTTP stacks). */
export const TOKEN_HEADER = "X-Auth-Token";

/**
 * Body of `/token/verify_token` when the header is absent (the original answered it with HTTP 201,
 * like every other outcome; the tokenleader server answers 401).
 */
export function missingTokenHeaderResponse(): {
  status: typeof VERIFY_STATUS.missingHeader;
  message: typeof VERIFY_MESSAGE.missingHeader;
  payload: Record<string, never>;
} {
  return {
    status: VERIFY_STATUS.missingHeader,
    message: VERIFY_MESSAGE.missingHeader,
    payload: {},
  };
}

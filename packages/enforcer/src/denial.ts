/**
 * The original enforcer's failure message (reference §6.4), byte for byte: "authenticaton", the
 * space before the comma, two spaces before "1.", two in "public key  in", the trailing space.
 * Existing clients detect a denial by searching for its first sentence, so it must not be "fixed".
 */
export const RESTRICTED_MESSAGE =
  "this endpoint is restricted , authenticaton or authorization failed \npossible reasons: \n  1.access configuration in role_acl_map.yml \n2. missing public key  in the client config file ";

export type DenialCode =
  | "TOKEN_MISSING"
  | "TOKEN_EMPTY"
  | "TOKEN_INVALID"
  | "TOKEN_EXPIRED"
  | "TOKEN_REVOKED"
  | "SIGNING_KEY_UNAVAILABLE"
  | "CLAIMS_INVALID"
  | "COOKIE_TOKEN_NOT_ACCESS"
  | "CSRF_MISSING"
  | "CSRF_MISMATCH"
  | "RULE_NOT_GRANTED"
  | "VERIFIER_UNAVAILABLE";

export interface Denial {
  allowed: false;
  /** 401: no usable token; 403: a valid token without the rule; 503: the remote verifier is down. */
  status: 401 | 403 | 503;
  code: DenialCode;
  /** Says which check failed. Safe to show the caller: never contains keys, tokens or URLs. */
  reason: string;
}

export function isDenial(value: object): value is Denial {
  return (value as Partial<Denial>).allowed === false;
}

export function deny(code: DenialCode, reason: string): Denial {
  const status = code === "RULE_NOT_GRANTED" ? 403 : code === "VERIFIER_UNAVAILABLE" ? 503 : 401;
  return { allowed: false, status, code, reason };
}

export interface DenialResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The HTTP answer for a denial. Default: 401/403/503 with JSON `{message, reason, code}`.
 * `compat`: what the original sent — HTTP 200, text/html, and Python's `json.dumps({"message": …})`
 * (note the space after the colon) — for clients that only look at the body.
 */
export function renderDenial(denial: Denial, options: { compat?: boolean } = {}): DenialResponse {
  if (options.compat) {
    return {
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8" },
      body: `{"message": ${JSON.stringify(RESTRICTED_MESSAGE)}}`,
    };
  }
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  };
  if (denial.status === 401) {
    headers["www-authenticate"] = 'Bearer realm="tokenleader", error="invalid_token"';
  }
  return {
    status: denial.status,
    headers,
    body: JSON.stringify({ message: RESTRICTED_MESSAGE, reason: denial.reason, code: denial.code }),
  };
}

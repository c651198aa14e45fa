// Audiences: a token asked for one service (`POST /token/gettoken` with `service`) carries
// `aud` = that service's name in the service catalog. The rule for who accepts it lives here,
// used by the enforcer (`audience` option) and by the server's `/token/verify_token?audience=`.

export interface AudiencePolicy {
  /** The service name this verifier stands for; unset: `aud` is not checked (compatibility). */
  readonly audience?: string;
  /**
   * With `audience`: also accept tokens without any `aud` (issued before audiences, or without
   * `service`). Off by default: a token not meant for this service is refused. A migration switch.
   */
  readonly acceptMissingAudience?: boolean;
}

/** Null when the token may be used here; otherwise the reason it may not (safe to show). */
export function audienceProblem(
  claims: Readonly<Record<string, unknown>>,
  policy: AudiencePolicy,
): string | null {
  const { audience } = policy;
  if (audience === undefined) return null;
  const aud = claims["aud"];
  if (aud === undefined) {
    return policy.acceptMissingAudience
      ? null
      : `the token is not issued for a service (no aud); this service accepts only tokens for "${audience}"`;
  }
  // RFC 7519 §4.1.3: a string or a list of strings.
  const names = Array.isArray(aud) ? aud : [aud];
  if (names.includes(audience)) return null;
  const shown = names.filter((name) => typeof name === "string").join(", ");
  return `the token is issued for another service (aud: ${shown || "not a service name"}), not for "${audience}"`;
}

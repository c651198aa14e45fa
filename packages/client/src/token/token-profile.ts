// The two claim layouts a tokenleader token may have, and the one place that reads either into
// the layout every verifier works with (`sub` = the user object):
// - "tokenleader" (the original, reference §2.2): `sub` is the user object;
// - "standard" (RFC 7519 §4.1.2, for API gateways and JWT libraries that insist on a string
//   `sub`): `sub` is the user id as a string and the user object sits in the `tokenleader` claim.

export const TOKEN_PROFILES = ["tokenleader", "standard"] as const;
export type TokenProfile = (typeof TOKEN_PROFILES)[number];

/** The claim that holds the user object in a "standard"-profile token. */
export const STANDARD_PROFILE_USER_CLAIM = "tokenleader";

/** The claims that carry `user` in a token of `profile` (the issuer adds the others). */
export function userClaims<U extends { id: number | string }>(
  user: U,
  profile: TokenProfile,
): { sub: U } | { sub: string; tokenleader: U } {
  return profile === "standard" ? { sub: String(user.id), tokenleader: user } : { sub: user };
}

export type NormalisedClaims =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; problem: string };

/**
 * Verified claims of either profile in the tokenleader layout: a "standard" token's user object
 * moves to `sub` (and its `tokenleader` claim goes, so the user is in one place). A string `sub`
 * must name the same user as the object: a token whose two halves disagree is refused rather
 * than read one way by one verifier and the other way by another. Anything else is returned
 * unchanged, for the claims check that follows to judge.
 */
export function normaliseTokenClaims(payload: Record<string, unknown>): NormalisedClaims {
  const sub = payload["sub"];
  const user = payload[STANDARD_PROFILE_USER_CLAIM];
  // A string `sub` alone is neither layout: left to the claims check, which names `sub`.
  if (typeof sub !== "string" || user === undefined) return { ok: true, claims: payload };
  if (user === null || typeof user !== "object" || Array.isArray(user)) {
    return {
      ok: false,
      problem: `sub is a string but the '${STANDARD_PROFILE_USER_CLAIM}' claim holding the user is not an object`,
    };
  }
  const id = (user as Record<string, unknown>)["id"];
  if (String(id) !== sub) {
    return {
      ok: false,
      problem: `sub (${JSON.stringify(sub)}) is not the id of the user in the '${STANDARD_PROFILE_USER_CLAIM}' claim`,
    };
  }
  const { [STANDARD_PROFILE_USER_CLAIM]: _moved, ...rest } = payload;
  return { ok: true, claims: { ...rest, sub: user } };
}

import type { Settings } from "../config/settings-types.js";

// The clock rules of a key rotation, in one place: how long a retired key stays published and how
// long verifiers may cache the JWKS. Both follow from the settings every instance shares.

/** The JWKS cache lifetime verifiers are told when the lead time allows it (five minutes). */
export const JWKS_MAX_AGE_LIMIT_SECONDS = 300;

export type RotationSettings = Pick<Settings, "token" | "login">;

/**
 * `Cache-Control: max-age` of the JWKS and the discovery document: short enough that a verifier
 * honouring it refetches between a rotation reaching every instance (one refresh interval at
 * worst) and the new key's first signature (the lead time).
 */
export function jwksMaxAgeSeconds(token: Settings["token"]): number {
  const room = token.keyRotationLeadSeconds - token.keySetRefreshSeconds;
  return Math.max(0, Math.min(JWKS_MAX_AGE_LIMIT_SECONDS, room));
}

/**
 * The longest a token signed by one key stays valid: bearer tokens (`[token] lifetime_seconds`)
 * and, with the cookie login on, its access and refresh tokens (`[login] access_ttl`,
 * `refresh_ttl`). A refresh token is verified with the key that signed it, so it counts.
 */
export function longestTokenLifetimeSeconds(settings: RotationSettings): number {
  const login = settings.login.enabled
    ? Math.max(settings.login.accessTtl, settings.login.refreshTtl)
    : 0;
  return Math.max(settings.token.lifetimeSeconds, login);
}

/**
 * When a key retired at `now` leaves the JWKS: once the last token it can have signed has expired.
 * Other instances may still sign with it until they hear of the retirement (one refresh interval
 * at worst), and a host whose clock runs ahead by up to the clock leeway issues tokens that expire
 * that much later.
 */
export function retiredKeyPublishedUntil(now: Date, settings: RotationSettings): Date {
  const seconds =
    longestTokenLifetimeSeconds(settings) +
    settings.token.keySetRefreshSeconds +
    settings.token.clockLeewaySeconds;
  return new Date(now.getTime() + seconds * 1000);
}

import type { Denial } from "../denial.js";

export type VerificationOutcome = { ok: true; claims: Record<string, unknown> } | Denial;

/** Turns a token string into verified claims or a denial. Never throws. */
export interface TokenVerifier {
  verify(token: string): Promise<VerificationOutcome>;
  /**
   * `verify` without a promise, where nothing needs waiting for (a configured key and issuer).
   * Absent when verification may have to fetch keys, discover the issuer or ask a server.
   */
  verifySync?(token: string): VerificationOutcome;
  /** Whether cached results may be trusted until `exp` (local) or only briefly (remote). */
  readonly kind: "local" | "remote";
}

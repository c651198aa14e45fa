import { serverMetrics } from "../metrics/index.js";
import { type Argon2Params, DEFAULT_ARGON2_PARAMS, isArgon2Hash, verifyArgon2 } from "./argon2.js";
import { dummyVerify } from "./dummy-verify.js";
import { isWerkzeugHash, verifyWerkzeugHash } from "./werkzeug.js";

export type PasswordHashScheme = "argon2" | "werkzeug" | "unknown";

export interface PasswordCheck {
  ok: boolean;
  /** True after a successful check of a legacy or weaker hash: store `hashPassword(pw)` now. */
  needsRehash: boolean;
  scheme: PasswordHashScheme;
}

/**
 * Checks a password against a stored hash of any supported scheme: argon2id (ours), Werkzeug
 * pbkdf2/scrypt (imported tokenleader 1.x databases). A missing or unreadable hash never
 * matches, and costs as much as a real check so it is not distinguishable by timing.
 */
export function verifyPassword(
  password: string,
  storedHash: string | null | undefined,
  params: Argon2Params = DEFAULT_ARGON2_PARAMS,
): Promise<PasswordCheck> {
  return serverMetrics.timePassword(
    "verify",
    (check) => check.scheme,
    () => checkPassword(password, storedHash, params),
  );
}

async function checkPassword(
  password: string,
  storedHash: string | null | undefined,
  params: Argon2Params,
): Promise<PasswordCheck> {
  if (typeof storedHash === "string" && isArgon2Hash(storedHash)) {
    return { ...(await verifyArgon2(password, storedHash, params)), scheme: "argon2" };
  }
  if (typeof storedHash === "string" && isWerkzeugHash(storedHash)) {
    const ok = await verifyWerkzeugHash(password, storedHash);
    return { ok, needsRehash: ok, scheme: "werkzeug" };
  }
  await dummyVerify(password, params);
  return { ok: false, needsRehash: false, scheme: "unknown" };
}

import { serverMetrics } from "../metrics/index.js";
import { type Argon2Params, DEFAULT_ARGON2_PARAMS, isArgon2Hash, verifyArgon2 } from "./argon2.js";
import { dummyVerify } from "./dummy-verify.js";
import { parseStoredSaltedSha256, verifySaltedSha256 } from "./salted-sha256.js";
import { isWerkzeugHash, verifyWerkzeugHash } from "./werkzeug.js";

export type PasswordHashScheme = "argon2" | "werkzeug" | "weskit-sha256" | "unknown";

export interface PasswordCheck {
  ok: boolean;
  /** True after a successful check of a legacy or weaker hash: store `hashPassword(pw)` now. */
  needsRehash: boolean;
  scheme: PasswordHashScheme;
}

/** Which scheme wrote a stored hash ("unknown": none this server can check). */
export function storedHashScheme(stored: string | null | undefined): PasswordHashScheme {
  if (typeof stored !== "string") return "unknown";
  if (isArgon2Hash(stored)) return "argon2";
  if (isWerkzeugHash(stored)) return "werkzeug";
  if (parseStoredSaltedSha256(stored)) return "weskit-sha256";
  return "unknown";
}

/**
 * Checks a password against a stored hash of any supported scheme: argon2id (ours), Werkzeug
 * pbkdf2/scrypt (imported tokenleader 1.x databases), WESkit's salted sha256 (imported
 * users.yaml, `weskit-sha256$salt$hex`). A missing or unreadable hash never
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
  const salted = typeof storedHash === "string" ? parseStoredSaltedSha256(storedHash) : null;
  if (salted) {
    const ok = verifySaltedSha256(password, salted.salt, salted.hex);
    // One sha256 is far faster than argon2id: spend the same time so the scheme does not show.
    await dummyVerify(password, params);
    return { ok, needsRehash: ok, scheme: "weskit-sha256" };
  }
  await dummyVerify(password, params);
  return { ok: false, needsRehash: false, scheme: "unknown" };
}

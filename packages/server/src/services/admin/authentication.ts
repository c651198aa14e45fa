// Username/password checks for token and cookie logins.

import { hashPassword } from "../../passwords/argon2.js";
import { dummyVerify } from "../../passwords/dummy-verify.js";
import { verifyPassword } from "../../passwords/verify-password.js";
import type { UserRecord } from "../records.js";
import { reading } from "../transactions.js";
import type { AdminContext } from "./context.js";
import { findLoginUser } from "./login-user.js";

export type AuthenticationResult =
  | {
      ok: true;
      user: UserRecord;
      rehashed: boolean;
      /** The user's `tokens_valid_after` (ms; 0 for none), read with the password hash. */
      tokensValidAfterMs: number;
    }
  | { ok: false; reason: "missing" | "unknown_user" | "wrong_password" };

export function authenticationRules({ db, passwordParams }: AdminContext) {
  return {
    /**
     * Checks a username/password pair. Unknown users cost one dummy hash check, so they cannot
     * be told from wrong passwords by timing. A legacy (Werkzeug) or weaker hash is replaced by
     * an argon2id hash with the configured parameters on success.
     */
    async authenticate(username: unknown, password: unknown): Promise<AuthenticationResult> {
      if (typeof username !== "string" || typeof password !== "string") {
        return { ok: false, reason: "missing" };
      }
      const found =
        username.length > 0 && username.length <= 256
          ? await reading(() => findLoginUser(db, username))
          : null;
      if (!found) {
        await dummyVerify(password, passwordParams);
        return { ok: false, reason: "unknown_user" };
      }
      const check = await verifyPassword(password, found.passwordHash, passwordParams);
      if (!check.ok) return { ok: false, reason: "wrong_password" };
      let rehashed = false;
      if (check.needsRehash) {
        try {
          const upgraded = await hashPassword(password, passwordParams);
          // Only if nobody changed the hash meanwhile (e.g. a concurrent password change).
          const result = await db.prisma.user.updateMany({
            where: { id: found.user.id, passwordHash: found.passwordHash },
            data: { passwordHash: upgraded },
          });
          rehashed = result.count === 1;
        } catch {
          // The login itself succeeded (also when the hash slots are busy: BUSY); the upgrade
          // is retried at the next login.
        }
      }
      return { ok: true, user: found.user, rehashed, tokensValidAfterMs: found.tokensValidAfterMs };
    },
  };
}

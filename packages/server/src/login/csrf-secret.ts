// The server secret behind the login-CSRF HMAC. Kept in the database (`deployment_setting`),
// created once by the first server process, so every instance of the deployment, and restarts,
// accept each other's login forms. It protects only the login form, never tokens.

import { randomBytes } from "node:crypto";
import type { Database } from "../db/index.js";
import { createDeploymentSettingIfAbsent } from "../deployment/index.js";

export async function loadOrCreateLoginCsrfSecret(db: Database): Promise<Buffer> {
  const { value } = await createDeploymentSettingIfAbsent(db, "login_csrf_secret", () =>
    randomBytes(32).toString("hex"),
  );
  if (!/^[0-9a-f]{64}$/i.test(value)) {
    throw new Error(
      "the login_csrf_secret row of the deployment_setting table is not 64 hex digits; delete that row to get a new one",
    );
  }
  return Buffer.from(value, "hex");
}

import type { Database } from "../db/index.js";
import { createDeploymentSettingIfAbsent, writeDeploymentSetting } from "./deployment-settings.js";

// The deployment's token issuer (`iss`, by default the public URL) is recorded at first start.
// An instance with another one would issue tokens the others refuse (and logouts that end
// nothing), so it does not start unless the operator says the issuer is changing.

export class IssuerMismatchError extends Error {
  readonly code = "ISSUER_MISMATCH";
  constructor(message: string) {
    super(message);
    this.name = "IssuerMismatchError";
  }
}

export interface IssuerCheck {
  /** "recorded": first start; "unchanged"; "changed": the switch allowed a new issuer. */
  readonly outcome: "recorded" | "unchanged" | "changed";
  readonly previous: string | null;
}

export async function checkDeploymentIssuer(
  db: Database,
  issuer: string,
  options: { issuerChange: boolean },
): Promise<IssuerCheck> {
  const stored = await createDeploymentSettingIfAbsent(db, "issuer", () => issuer);
  if (stored.created) return { outcome: "recorded", previous: null };
  if (stored.value === issuer) return { outcome: "unchanged", previous: stored.value };
  if (options.issuerChange) {
    await writeDeploymentSetting(db, "issuer", issuer);
    return { outcome: "changed", previous: stored.value };
  }
  throw new IssuerMismatchError(
    `this instance's token issuer ${issuer} differs from the deployment's issuer ${stored.value} ` +
      `recorded in the database: set [server] public_url (TOKENLEADER_PUBLIC_URL) or [token] issuer ` +
      `to ${stored.value} as on the other instances, or, if the deployment really moves to ${issuer}, ` +
      "start once with --issuer-change (TOKENLEADER_ISSUER_CHANGE=yes)",
  );
}

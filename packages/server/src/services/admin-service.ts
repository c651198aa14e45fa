// The one service layer behind `adminops` and the REST admin routes: registration, listing,
// deletion and password checks for orgs, org units, departments, roles, wfcs, users and the
// service catalog. Every write is one transaction; every refusal is an AppError with a stable
// code and a message naming the record involved. Each kind's rules live in admin/<kind>.ts.
import type { Database } from "../db/open-database.js";
import { authenticationRules } from "./admin/authentication.js";
import { catalogRules } from "./admin/catalog.js";
import type { AdminContext, AdminPasswordParams } from "./admin/context.js";
import { importRules } from "./admin/imports.js";
import { organizationRules } from "./admin/organizations.js";
import { roleRules } from "./admin/roles.js";
import { userRules } from "./admin/users.js";
import { wfcRules } from "./admin/wfcs.js";
import { type AdminServiceHooks, createAdminWrites } from "./admin/writes.js";

// The hooks are this constructor's parameter: callers (adminops) import them from here.
export type { AdminServiceHooks } from "./admin/writes.js";

export interface AdminServiceOptions {
  /**
   * The audit actor of changes made outside an admin API request (those carry the token's user):
   * adminops gives "adminops:<OS user>". Default "server" (start-up work such as the first admin).
   */
  actor?: string;
}

export function createAdminService(
  db: Database,
  settings: { readonly passwords: AdminPasswordParams },
  hooks: AdminServiceHooks = {},
  options: AdminServiceOptions = {},
) {
  const context: AdminContext = {
    db,
    passwordParams: settings.passwords,
    writes: createAdminWrites(db, hooks, options.actor ?? "server"),
  };
  return {
    ...organizationRules(context),
    ...roleRules(context),
    ...wfcRules(context),
    ...userRules(context),
    ...catalogRules(context),
    ...authenticationRules(context),
    ...importRules(context),
  };
}

export type AdminService = ReturnType<typeof createAdminService>;

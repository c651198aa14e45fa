import { existsSync } from "node:fs";
import { SIGNING_ALGORITHMS } from "@tokenleader/client";
import { createEnforcer, type FastifyEnforcer } from "@tokenleader/enforcer/fastify";
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../app-context.js";
import { keySetKeySource } from "../../tokens/index.js";
import type { ServerPlugin } from "../build-server.js";
import { installAdminErrorHandler } from "./admin-error-body.js";
import { registerCatalogRoutes } from "./catalog-routes.js";
import { registerKeyRoutes } from "./key-routes.js";
import { registerOrganizationRoutes } from "./organization-routes.js";
import { registerRevocationStreamRoute } from "./revocation-stream-route.js";
import { registerUnknownEntityRoutes } from "./unknown-entity-routes.js";
import { registerUserRevokeRoute } from "./user-revoke-route.js";
import { registerUserRoutes } from "./user-routes.js";
import { registerUserUpdateRoute } from "./user-update-route.js";

/**
 * The admin + catalog REST API (route table: route-rules.ts, docs/admin-api.md). Every route is
 * protected by the enforcer, which verifies tokens with the server's own keys (no network call to
 * itself) and reads role_to_acl_map.yml and the super-roles from the settings.
 */
export const adminRoutesPlugin: ServerPlugin = async (app, context) => {
  const enforcer = createAdminEnforcer(app, context);
  // Declares request.wfc/request.tokenleader and stops the ACL file watcher on close.
  await app.register(enforcer.plugin);
  installAdminErrorHandler(app);
  registerUserRoutes(app, enforcer, context.adminService);
  registerUserUpdateRoute(app, enforcer, context.adminService);
  registerUserRevokeRoute(app, enforcer, context.adminService);
  registerOrganizationRoutes(app, enforcer, context.adminService);
  registerCatalogRoutes(app, enforcer, context.adminService);
  registerKeyRoutes(app, enforcer, context.signingKeys);
  registerRevocationStreamRoute(app, enforcer, context.db, context.sessions);
  registerUnknownEntityRoutes(app);
};

function createAdminEnforcer(app: FastifyInstance, context: AppContext): FastifyEnforcer {
  return createEnforcer({
    ...aclSource(app, context),
    superRoles: context.settings.enforcer.superRoles,
    // The server's own published keys as they are now (a rotation changes them): tokens are
    // checked in-process. The source pins each key to its one algorithm, so every algorithm the
    // server can sign with may be listed here (a rotation may switch algorithm).
    keySource: keySetKeySource(context.keys),
    algorithms: SIGNING_ALGORITHMS,
    // No verified-token cache: the admin API is called rarely, and verifying each call means a
    // key removed from the JWKS (a leaked key retired at once) is refused at once here too.
    tokenCache: { maxEntries: 0 },
    issuer: context.settings.token.issuer,
    acceptMissingIssuer: context.settings.token.acceptTokensWithoutIssuer,
    clockLeewaySec: context.settings.token.clockLeewaySeconds,
    // Access tokens of ended cookie-login sessions (logout, reuse, changed user) are refused here
    // too, not only by /token/verify_token.
    isTokenActive: (claims) => context.sessions.isTokenActive(claims),
    logger: app.log,
  });
}

/** What the admin API grants when no ACL file exists and none was configured. */
export const BUILT_IN_ADMIN_ACL = [{ name: "admin", allow: ["tokenleader.*"] }] as const;

/**
 * The configured ACL file; a file at the default place; or, when neither exists, the built-in map
 * (the admin role only) — so a minimal settings file still starts. A configured file that is
 * missing stays an error: the operator meant that file.
 */
function aclSource(
  app: FastifyInstance,
  context: AppContext,
): { roleToAclMapFile: string } | { roleToAclMap: typeof BUILT_IN_ADMIN_ACL } {
  const { roleToAclMapFile, roleToAclMapConfigured } = context.settings.enforcer;
  if (roleToAclMapConfigured || existsSync(roleToAclMapFile)) return { roleToAclMapFile };
  app.log.warn(
    { looked: roleToAclMapFile },
    "no role_to_acl_map.yml: the admin API allows role admin only; set [enforcer] role_to_acl_map_file to grant other roles",
  );
  return { roleToAclMap: BUILT_IN_ADMIN_ACL };
}

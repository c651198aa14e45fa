import { fileURLToPath } from "node:url";
import type { FastifyBaseLogger } from "fastify";
import { expect } from "vitest";
import type { Database } from "../../../src/db/index.js";
import { adminRoutesPlugin } from "../../../src/http/admin/index.js";
import type { ServerPlugin } from "../../../src/http/index.js";
import { createTestServer, seedUsers, type TestServer } from "../../helpers/test-server.js";

// A real server with the admin API, the shipped etc/role_to_acl_map.yml and the seed data of the
// original's tests (org1/ou1/dept1/wfc1/role1, user u1/secret with role1), plus a bootstrap-style
// administrator in its own wfc so deleting org1… in tests never touches it. Tokens are real ones
// from the server's own POST /token/gettoken.

export const SHIPPED_ACL_FILE = fileURLToPath(
  new URL("../../../../../etc/role_to_acl_map.yml", import.meta.url),
);

export const RESTRICTED_TEXT =
  "this endpoint is restricted , authenticaton or authorization failed";

export interface AdminTestServer extends TestServer {
  /** Token of user "admin" (role admin). */
  adminToken: string;
  /** Token of user "u1" (role1 only: granted the list rules of the shipped ACL, nothing else). */
  role1Token: string;
  tokenFor(username: string, password: string): Promise<string>;
}

export interface AdminTestServerOptions {
  db: Database;
  /** INI `[enforcer] super_roles`; default: the settings default (admin). */
  superRoles?: string;
  aclFile?: string;
  /** INI `[server] trust_proxy`; default: unset (no proxy trusted). */
  trustProxy?: string;
  plugins?: ServerPlugin[];
  /** A pino logger for the app; default: no logging. */
  logger?: FastifyBaseLogger;
  /** Keys in the database with key rotation (see createTestServer). */
  databaseKeys?: boolean;
}

export async function createAdminTestServer(
  options: AdminTestServerOptions,
): Promise<AdminTestServer> {
  const enforcer: Record<string, string> = {
    role_to_acl_map_file: options.aclFile ?? SHIPPED_ACL_FILE,
  };
  if (options.superRoles !== undefined) enforcer.super_roles = options.superRoles;
  const server = await createTestServer({
    db: options.db,
    ini: {
      enforcer,
      ...(options.trustProxy !== undefined ? { server: { trust_proxy: options.trustProxy } } : {}),
    },
    plugins: options.plugins ?? [adminRoutesPlugin],
    ...(options.logger ? { logger: options.logger } : {}),
    databaseKeys: options.databaseKeys,
  });
  const { adminService } = server;
  await adminService.addOrg("tlorg");
  await adminService.addOrgUnit("tlou");
  await adminService.addDepartment("tldept");
  await adminService.addWfc("tlwfc", "tlorg", "tlou", "tldept");
  await adminService.addRole("admin");
  await adminService.addUser({
    username: "admin",
    password: "admin-password",
    email: "admin@example.org",
    roles: ["admin"],
    wfc: "tlwfc",
  });
  await seedUsers(adminService, [{ username: "u1", password: "u1-secret", email: "u1@abc.com" }]);

  async function tokenFor(username: string, password: string): Promise<string> {
    const response = await server.app.inject({
      method: "POST",
      url: "/token/gettoken",
      payload: { username, password },
    });
    expect(response.statusCode).toBe(201);
    return response.json().auth_token as string;
  }
  return {
    ...server,
    adminToken: await tokenFor("admin", "admin-password"),
    role1Token: await tokenFor("u1", "u1-secret"),
    tokenFor,
  };
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Raw payload (e.g. malformed JSON) sent with content-type JSON. */
  raw?: string;
}

/** One request to the admin API with `X-Auth-Token` (the original's header) when a token is given. */
export function call(server: TestServer, method: string, url: string, options: CallOptions = {}) {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers["x-auth-token"] = options.token;
  const hasBody = options.body !== undefined || options.raw !== undefined;
  if (hasBody) headers["content-type"] = "application/json";
  return server.app.inject({
    method: method as "GET",
    url,
    headers,
    ...(hasBody ? { payload: options.raw ?? JSON.stringify(options.body) } : {}),
  });
}

// The admin + catalog REST API in one table: every route with the enforcer rule that protects it.
// Routes are registered from this table (a route cannot exist without its rule) and
// docs/admin-api.md repeats it for operators. Rule names follow the original's
// `package.module.function` style; the 1.8 routes keep the original's exact names
// (reference §3.4, §3.5) so existing role_to_acl_map.yml files keep granting them.

export type AdminRouteMethod = "GET" | "POST" | "DELETE";

export interface AdminRouteSpec {
  readonly method: AdminRouteMethod;
  /** Fastify path (`:param`). */
  readonly url: string;
  /** The enforcer rule a token's roles must be granted (role_to_acl_map.yml). */
  readonly rule: string;
}

const ADMINOPS = "tokenleader.adminops";
const RESTAPI = "tokenleader.adminops.adminops_restapi";
const CATALOG = "tokenleader.catalog";

export const ADMIN_ROUTES = {
  // users
  listUsers: { method: "GET", url: "/list/users", rule: `${RESTAPI}.list_users` },
  getUser: { method: "GET", url: "/list/user/:username", rule: `${ADMINOPS}.list_user` },
  addUser: { method: "POST", url: "/add/user", rule: `${ADMINOPS}.add_user` },
  deleteUser: { method: "DELETE", url: "/delete/user", rule: `${ADMINOPS}.delete_user` },
  updateUser: { method: "POST", url: "/update/user", rule: `${ADMINOPS}.update_user` },
  revokeUser: { method: "POST", url: "/revoke/user", rule: `${ADMINOPS}.revoke_user` },
  deleteUserByPath: {
    method: "DELETE",
    url: "/delete/user/:name",
    rule: `${ADMINOPS}.delete_user`,
  },
  // organizations
  listOrgs: { method: "GET", url: "/list/org", rule: `${RESTAPI}.list_org` },
  addOrg: { method: "POST", url: "/add/org", rule: `${ADMINOPS}.add_org` },
  deleteOrg: { method: "DELETE", url: "/delete/org", rule: `${ADMINOPS}.delete_org` },
  deleteOrgByPath: { method: "DELETE", url: "/delete/org/:name", rule: `${ADMINOPS}.delete_org` },
  // org units
  listOrgUnits: { method: "GET", url: "/list/ou", rule: `${RESTAPI}.list_ou` },
  addOrgUnit: { method: "POST", url: "/add/ou", rule: `${ADMINOPS}.add_ou` },
  deleteOrgUnit: { method: "DELETE", url: "/delete/ou", rule: `${ADMINOPS}.delete_ou` },
  deleteOrgUnitByPath: { method: "DELETE", url: "/delete/ou/:name", rule: `${ADMINOPS}.delete_ou` },
  // departments
  listDepartments: { method: "GET", url: "/list/dept", rule: `${RESTAPI}.list_dept` },
  addDepartment: { method: "POST", url: "/add/dept", rule: `${ADMINOPS}.add_dept` },
  deleteDepartment: { method: "DELETE", url: "/delete/dept", rule: `${ADMINOPS}.delete_dept` },
  deleteDepartmentByPath: {
    method: "DELETE",
    url: "/delete/dept/:name",
    rule: `${ADMINOPS}.delete_dept`,
  },
  // roles
  listRoles: { method: "GET", url: "/list/role", rule: `${RESTAPI}.list_role` },
  addRole: { method: "POST", url: "/add/role", rule: `${ADMINOPS}.add_role` },
  deleteRole: { method: "DELETE", url: "/delete/role", rule: `${ADMINOPS}.delete_role` },
  deleteRoleByPath: {
    method: "DELETE",
    url: "/delete/role/:name",
    rule: `${ADMINOPS}.delete_role`,
  },
  // work function contexts
  listWfcs: { method: "GET", url: "/list/wfc", rule: `${RESTAPI}.list_wfc` },
  addWfc: { method: "POST", url: "/add/wfc", rule: `${ADMINOPS}.add_wfc` },
  deleteWfc: { method: "DELETE", url: "/delete/wfc", rule: `${ADMINOPS}.delete_wfc` },
  deleteWfcByPath: { method: "DELETE", url: "/delete/wfc/:name", rule: `${ADMINOPS}.delete_wfc` },
  // signing keys (key rotation)
  listKeys: { method: "GET", url: "/list/keys", rule: `${ADMINOPS}.list_keys` },
  rotateKey: { method: "POST", url: "/rotate/key", rule: `${ADMINOPS}.rotate_key` },
  retireKey: { method: "POST", url: "/retire/key", rule: `${ADMINOPS}.retire_key` },
  // service catalog
  listServices: { method: "GET", url: "/list/services", rule: `${CATALOG}.list_services` },
  getService: { method: "GET", url: "/list/service/:name", rule: `${CATALOG}.list_services` },
  addService: { method: "POST", url: "/add/service", rule: `${CATALOG}.add_service` },
  deleteService: { method: "DELETE", url: "/delete/service", rule: `${CATALOG}.delete_service` },
  deleteServiceByPath: {
    method: "DELETE",
    url: "/delete/service/:name",
    rule: `${CATALOG}.delete_service`,
  },
} as const satisfies Record<string, AdminRouteSpec>;

export type AdminRouteName = keyof typeof ADMIN_ROUTES;

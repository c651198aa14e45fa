// The admin API's route → enforcer rule table, written out by hand: what operators grant in
// role_to_acl_map.yml (docs/admin-api.md). The 1.8 routes keep the original's rule names. Tests
// compare the server against this table, never against the code's own (src/http/admin/route-rules.ts).

export const ROUTE_RULES: Readonly<Record<string, string>> = {
  "GET /list/users": "tokenleader.adminops.adminops_restapi.list_users",
  "GET /list/user/:username": "tokenleader.adminops.list_user",
  "POST /add/user": "tokenleader.adminops.add_user",
  "DELETE /delete/user": "tokenleader.adminops.delete_user",
  "DELETE /delete/user/:name": "tokenleader.adminops.delete_user",
  "POST /update/user": "tokenleader.adminops.update_user",
  "POST /revoke/user": "tokenleader.adminops.revoke_user",
  "GET /list/org": "tokenleader.adminops.adminops_restapi.list_org",
  "POST /add/org": "tokenleader.adminops.add_org",
  "DELETE /delete/org": "tokenleader.adminops.delete_org",
  "DELETE /delete/org/:name": "tokenleader.adminops.delete_org",
  "GET /list/ou": "tokenleader.adminops.adminops_restapi.list_ou",
  "POST /add/ou": "tokenleader.adminops.add_ou",
  "DELETE /delete/ou": "tokenleader.adminops.delete_ou",
  "DELETE /delete/ou/:name": "tokenleader.adminops.delete_ou",
  "GET /list/dept": "tokenleader.adminops.adminops_restapi.list_dept",
  "POST /add/dept": "tokenleader.adminops.add_dept",
  "DELETE /delete/dept": "tokenleader.adminops.delete_dept",
  "DELETE /delete/dept/:name": "tokenleader.adminops.delete_dept",
  "GET /list/role": "tokenleader.adminops.adminops_restapi.list_role",
  "POST /add/role": "tokenleader.adminops.add_role",
  "DELETE /delete/role": "tokenleader.adminops.delete_role",
  "DELETE /delete/role/:name": "tokenleader.adminops.delete_role",
  "GET /list/wfc": "tokenleader.adminops.adminops_restapi.list_wfc",
  "POST /add/wfc": "tokenleader.adminops.add_wfc",
  "DELETE /delete/wfc": "tokenleader.adminops.delete_wfc",
  "DELETE /delete/wfc/:name": "tokenleader.adminops.delete_wfc",
  "GET /list/keys": "tokenleader.adminops.list_keys",
  "POST /rotate/key": "tokenleader.adminops.rotate_key",
  "POST /retire/key": "tokenleader.adminops.retire_key",
  "GET /list/services": "tokenleader.catalog.list_services",
  "GET /list/service/:name": "tokenleader.catalog.list_services",
  "POST /add/service": "tokenleader.catalog.add_service",
  "DELETE /delete/service": "tokenleader.catalog.delete_service",
  "DELETE /delete/service/:name": "tokenleader.catalog.delete_service",
};

/** The table's routes as `[method, url]`. */
export const TABLE_ROUTES = Object.keys(ROUTE_RULES).map((route) => {
  const [method, url] = route.split(" ") as [string, string];
  return { method, url, rule: ROUTE_RULES[route]! };
});

// The sample etc/role_to_acl_map.yml shipped with the repository loads and grants what its
// comments promise, including the admin API for `admin` when super-roles are switched off.
import { fileURLToPath } from "node:url";
import { authorize, loadAclMap } from "@tokenleader/enforcer";
import { describe, expect, it } from "vitest";

const SAMPLE = fileURLToPath(new URL("../../etc/role_to_acl_map.yml", import.meta.url));
const claims = (roles: string[]) => ({
  iat: 0,
  exp: 1,
  sub: { id: 1, username: "u", email: null, roles, wfc: null },
});

describe("etc/role_to_acl_map.yml", () => {
  it("grants role1 the admin list rules and role2 the example service rules", async () => {
    const acl = await loadAclMap(SAMPLE);
    for (const rule of ["list_users", "list_org", "list_ou", "list_role", "list_dept"]) {
      const full = `tokenleader.adminops.adminops_restapi.${rule}`;
      expect(authorize(claims(["role1"]), full, acl).allowed).toBe(true);
    }
    expect(authorize(claims(["role2"]), "service1.third_api.rulename3", acl).allowed).toBe(true);
    expect(
      authorize(claims(["role2"]), "tokenleader.adminops.adminops_restapi.list_users", acl).allowed,
    ).toBe(false);
  });

  it("keeps the admin API open to admin with superRoles: [] (tokenleader.*), and nothing else", async () => {
    const acl = await loadAclMap(SAMPLE);
    const opts = { superRoles: [] };
    expect(authorize(claims(["admin"]), "tokenleader.adduser", acl, opts).allowed).toBe(true);
    expect(authorize(claims(["admin"]), "service1.third_api.rulename3", acl, opts).allowed).toBe(
      false,
    );
  });
});

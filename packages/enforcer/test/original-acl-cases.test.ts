// The original client's ACL tests (reference §9.3: tokenleaderclient/tests/test_acl.py and
// test_acl_enforcer_decorator.py) with the same roles, rules, users and handler output. The ACL
// file is our reconstruction of the client's testdata (see the comment at its top). The originals
// passed pre-verified token dicts; here the same payloads are signed with a test key and sent over
// real HTTP, which also exercises verification.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AclMap, authorize, loadAclMap } from "../src/index.js";
import { ADAPTERS, call, type RunningApp, startApp } from "./support/apps.js";
import { generateSigningKey, mintToken, subject, TEST_ISSUER } from "./support/tokens.js";

const ROLE_ACL_MAP_FILE = fileURLToPath(
  new URL("./fixtures/client-test-role-to-acl-map.yml", import.meta.url),
);
const RULE1 = "service1:first_api:rulename1";
const RULE3 = "service1:third_api:rulename3";
const WFC = { department: "dept1", id: 1, name: "wfc1", org: "org1", orgunit: "ou1" };

/** The payloads of the original test tokens (sample_token, admin_token, …). */
const claimsFor = (username: string, roles: string[]) => ({
  exp: 1548487022,
  iat: 1548483422,
  sub: { ...subject(username, roles, WFC), email: `${username}@itc.in` },
});

describe("test_acl.py: compare_role_in_token_with_acl_map and role extraction", () => {
  let acl: AclMap;
  beforeAll(async () => {
    acl = await loadAclMap(ROLE_ACL_MAP_FILE);
  });
  // compare_role_in_token_with_acl_map(role, rule) ≡ the map granting `rule` to `role`.
  const compare = (role: string, rule: string) => acl.matchingPattern(role, rule) !== null;

  it("test_role1_success", () => expect(compare("role1", RULE1)).toBe(true));
  it("test_role2_success", () => expect(compare("role2", RULE3)).toBe(true));
  it("test_role4_success_with_rule1", () => expect(compare("role4", RULE1)).toBe(true));
  it("test_role4_success_with_rule7", () =>
    expect(compare("role4", "service1:7api_api:rulename7")).toBe(true));
  it("test_role4_success_with_rule4", () =>
    expect(compare("role4", "service1:fourthapi_api:rulename4")).toBe(true));
  it("test_rule_mismatch", () => expect(compare("rule1", "rule_mismatched")).toBe(false));
  it("test_role_mismatch", () => expect(compare("rule_mismatched", RULE1)).toBe(false));

  it("…_invalid_role: roles test_role_1/test_role_2 are not allowed", () => {
    const result = authorize(claimsFor("test_user1", ["test_role_1", "test_role_2"]), RULE1, acl);
    expect(result.allowed).toBe(false);
  });

  it("…_valid_role: roles role1+role2 are allowed and yield the token's wfc", () => {
    const result = authorize(claimsFor("test_user1", ["role1", "role2"]), RULE1, acl);
    expect(result.allowed).toBe(true);
    expect(result.wfc).toEqual({
      id: 1,
      org: "org1",
      department: "dept1",
      orgunit: "ou1",
      name: "wfc1",
    });
  });

  it("…_admin_role: admin is allowed although the file has no admin entry", () => {
    expect(authorize(claimsFor("admin", ["admin"]), RULE1, acl).allowed).toBe(true);
    expect(authorize(claimsFor("admin", ["admin"]), RULE1, acl, { superRoles: [] }).allowed).toBe(
      false,
    );
  });
});

describe.each(ADAPTERS)("test_acl_enforcer_decorator.py as %s routes", (adapter) => {
  const key = generateSigningKey();
  let app: RunningApp;
  const TXT = "enforcer decorator working ok with wfc org = org1,orgunit=ou1, dept=dept1";

  beforeAll(async () => {
    app = await startApp(
      adapter,
      { roleToAclMapFile: ROLE_ACL_MAP_FILE, publicKey: key.publicPem, issuer: TEST_ISSUER },
      [
        {
          method: "GET",
          path: "/acl_enforcer_func",
          rule: RULE1,
          respond: (wfc) =>
            `enforcer decorator working ok with wfc org = ${wfc.org},orgunit=${wfc.orgunit}, dept=${wfc.department}`,
        },
        {
          method: "GET",
          path: "/multirole",
          rule: RULE3,
          respond: () => "enforcer decorator working ok with multi role",
        },
        {
          method: "GET",
          path: "/admin",
          rule: RULE1,
          respond: () => "enforcer decorator working ok with admin",
        },
        {
          method: "GET",
          path: "/role_mismatched",
          rule: RULE1,
          respond: () => "falied due to role mismatched",
        },
        {
          method: "GET",
          path: "/permission_mismatched",
          rule: "rule_mismatched",
          respond: () => "failed due to permission rule mismatched",
        },
      ],
    );
  });
  afterAll(() => app?.close());

  const as = async (path: string, username: string, roles: string[]) =>
    call(`${app.url}${path}`, {
      headers: {
        "X-Auth-Token": await mintToken(key, { sub: { ...subject(username, roles, WFC) } }),
      },
    });

  it("test_acl_enforcer_func: role1 + rulename1 runs the handler with the wfc", async () => {
    const res = await as("/acl_enforcer_func", "user1", ["role1"]);
    expect(res.status).toBe(200);
    expect(res.text).toBe(TXT);
  });

  it("test_acl_enforcer_func_multirole: roles [role1, role2] reach rulename3", async () => {
    const res = await as("/multirole", "user_with_multi_role", ["role1", "role2"]);
    expect(res.text).toBe("enforcer decorator working ok with multi role");
  });

  it("admin-token variant: the admin super-role runs the handler", async () => {
    const res = await as("/admin", "admin", ["admin"]);
    expect(res.text).toBe("enforcer decorator working ok with admin");
  });

  it("test_acl_enforcer_role_mismatched: the handler does not run", async () => {
    const res = await as("/role_mismatched", "user1", ["role_mismatched"]);
    expect(res.status).toBe(403);
    expect(res.text).not.toBe("falied due to role mismatched");
  });

  it("test_acl_enforcer_permission_mismatched: role1 is denied rule_mismatched", async () => {
    const res = await as("/permission_mismatched", "user1", ["role1"]);
    expect(res.status).toBe(403);
    expect(res.text).not.toBe("failed due to permission rule mismatched");
  });
});

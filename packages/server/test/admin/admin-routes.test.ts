import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_ROUTES, type AdminRouteName } from "../../src/http/admin/index.js";
import { describeEachProvider } from "../helpers/test-databases.js";
import {
  type AdminTestServer,
  call,
  createAdminTestServer,
  RESTRICTED_TEXT,
} from "./helpers/admin-test-server.js";
import { ROUTE_RULES, TABLE_ROUTES } from "./helpers/route-rule-table.js";

// Every route of the admin + catalog API: allowed with the admin's token, 401 without a token,
// 403 with a token lacking the rule, and each refusal (400/404/409/422) with its body, on both
// database providers.

const ROLE1_RULES = new Set([
  "tokenleader.adminops.adminops_restapi.list_users",
  "tokenleader.adminops.adminops_restapi.list_org",
  "tokenleader.adminops.adminops_restapi.list_ou",
  "tokenleader.adminops.adminops_restapi.list_role",
  "tokenleader.adminops.adminops_restapi.list_dept",
]);

/** A concrete URL for a route pattern. */
const concrete = (url: string, name = "nosuch") => url.replace(/:[a-z]+/g, name);

/** Nothing a client sees may come from SQL, Prisma or a stack trace. */
function expectNoInternals(text: string) {
  expect(text).not.toMatch(
    /select |insert |delete from|prisma|constraint|sqlite|postgres|\bat \S+ \(/i,
  );
}

describeEachProvider("admin API routes", (ctx) => {
  let server: AdminTestServer;

  beforeAll(async () => {
    // Keys in the database, as tokenleader-server keeps them, so the key routes work too.
    server = await createAdminTestServer({ db: ctx.db, databaseKeys: true });
  });
  afterAll(async () => {
    await server?.close();
  });

  describe("protection", () => {
    it("every route answers 401 with the original's message when no token is sent", async () => {
      for (const spec of TABLE_ROUTES) {
        const name = `${spec.method} ${spec.url}`;
        const response = await call(server, spec.method, concrete(spec.url), {
          ...(spec.method === "GET" ? {} : { body: { oname: "x" } }),
        });
        expect(response.statusCode, name).toBe(401);
        expect(response.json().message, name).toContain(RESTRICTED_TEXT);
        expect(response.json().code, name).toBe("TOKEN_MISSING");
      }
      // Nothing was created by the anonymous POST /add/org.
      expect(await server.adminService.getOrg("x")).toBeNull();
    });

    it("an invalid token is 401 before the body is even looked at", async () => {
      const response = await call(server, "POST", "/add/org", {
        token: "not.a.token",
        raw: "{not json",
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe("TOKEN_INVALID");
    });

    it("role1 gets 403 on every route whose rule the shipped ACL does not grant it", async () => {
      for (const spec of TABLE_ROUTES) {
        const name = `${spec.method} ${spec.url}`;
        const response = await call(server, spec.method, concrete(spec.url), {
          token: server.role1Token,
          ...(spec.method === "GET" ? {} : { body: {} }),
        });
        if (ROLE1_RULES.has(spec.rule)) {
          expect(response.statusCode, name).toBe(200);
        } else {
          expect(response.statusCode, name).toBe(403);
          expect(response.json(), name).toMatchObject({ code: "RULE_NOT_GRANTED" });
          expect(response.json().message, name).toContain(RESTRICTED_TEXT);
        }
      }
    });

    it("accepts Authorization: Bearer as well as X-Auth-Token", async () => {
      const response = await server.app.inject({
        method: "GET",
        url: "/list/users",
        headers: { authorization: `Bearer ${server.adminToken}` },
      });
      expect(response.statusCode).toBe(200);
    });
  });

  describe("allowed with the admin token: every route", () => {
    it("adds, lists, reads and deletes through each route of the table", async () => {
      const token = server.adminToken;
      const covered = new Set<AdminRouteName>();
      const step = async (
        route: AdminRouteName,
        expected: number,
        options: { name?: string; body?: unknown } = {},
      ) => {
        const spec = ADMIN_ROUTES[route];
        const response = await call(server, spec.method, concrete(spec.url, options.name), {
          token,
          ...(options.body === undefined ? {} : { body: options.body }),
        });
        expect(response.statusCode, `${route}: ${response.body}`).toBe(expected);
        covered.add(route);
        return response.json();
      };

      for (const suffix of ["A", "B"]) {
        expect(await step("addOrg", 201, { body: { oname: `org${suffix}` } })).toEqual({
          status: `org${suffix} has been registered.`,
        });
        await step("addOrgUnit", 201, { body: { ouname: `ou${suffix}` } });
        await step("addDepartment", 201, { body: { deptname: `dept${suffix}` } });
        await step("addRole", 201, { body: { rolename: `role${suffix}` } });
      }
      await step("addWfc", 201, {
        body: { fname: "wfcA", orgname: "orgA", ou_name: "ouA", dept_name: "deptA" },
      });
      await step("addWfc", 201, {
        body: { fname: "wfcB", orgname: "orgB", ou_name: "ouB", dept_name: "deptB" },
      });
      await step("addUser", 201, {
        body: { name: "userA", password: "password-A", wfc: "wfcA", roles: ["roleA", "roleB"] },
      });
      await step("addUser", 201, {
        body: { username: "userB", email: null, password: "password-B", wfc: "wfcA", roles: [] },
      });
      await step("addService", 201, { body: { name: "svcA", urlint: "http://a.internal" } });
      await step("addService", 201, {
        body: {
          name: "svcB",
          urlint: "http://b.internal",
          urlext: "https://b.example.org",
          urladmin: null,
          password: "svc-password",
        },
      });

      const names = (body: { status: Array<{ name?: string; username?: string }> }) =>
        body.status.map((entry) => entry.name ?? entry.username);
      expect(names(await step("listOrgs", 200))).toEqual(expect.arrayContaining(["orgA", "orgB"]));
      expect(names(await step("listOrgUnits", 200))).toEqual(
        expect.arrayContaining(["ouA", "ouB"]),
      );
      expect(names(await step("listDepartments", 200))).toEqual(
        expect.arrayContaining(["deptA", "deptB"]),
      );
      expect(names(await step("listRoles", 200))).toEqual(
        expect.arrayContaining(["roleA", "roleB"]),
      );
      expect(names(await step("listWfcs", 200))).toEqual(expect.arrayContaining(["wfcA", "wfcB"]));
      expect(names(await step("listUsers", 200))).toEqual(
        expect.arrayContaining(["userA", "userB"]),
      );
      expect(names(await step("listServices", 200))).toEqual(["svcA", "svcB"]);
      expect((await step("getUser", 200, { name: "userA" })).status).toMatchObject({
        username: "userA",
        email: null,
        roles: ["roleA", "roleB"],
        wfc: { name: "wfcA", org: "orgA", orgunit: "ouA", department: "deptA" },
      });
      expect(
        (await step("updateUser", 200, { body: { username: "userB", roles: ["roleA"] } })).status,
      ).toMatchObject({ username: "userB", roles: ["roleA"] });
      expect((await step("revokeUser", 200, { body: { username: "userB" } })).status).toMatchObject(
        { username: "userB" },
      );
      expect((await step("getService", 200, { name: "svcB" })).status).toEqual({
        id: expect.any(Number),
        name: "svcB",
        endpoint_url_internal: "http://b.internal",
        endpoint_url_external: "https://b.example.org",
        endpoint_url_admin: null,
      });

      expect(await step("deleteUser", 200, { body: { username: "userA" } })).toEqual({
        status: "userA has been  deleted successfully",
      });
      await step("deleteUserByPath", 200, { name: "userB" });
      await step("deleteWfc", 200, { body: { wfcname: "wfcA" } });
      await step("deleteWfcByPath", 200, { name: "wfcB" });
      await step("deleteOrg", 200, { body: { oname: "orgA" } });
      await step("deleteOrgByPath", 200, { name: "orgB" });
      await step("deleteOrgUnit", 200, { body: { ouname: "ouA" } });
      await step("deleteOrgUnitByPath", 200, { name: "ouB" });
      await step("deleteDepartment", 200, { body: { deptname: "deptA" } });
      await step("deleteDepartmentByPath", 200, { name: "deptB" });
      await step("deleteRole", 200, { body: { rolename: "roleA" } });
      await step("deleteRoleByPath", 200, { name: "roleB" });
      await step("deleteService", 200, { body: { name: "svcA" } });
      await step("deleteServiceByPath", 200, { name: "svcB" });

      const signing = server.keySet.signingKey.kid;
      expect((await step("listKeys", 200)).status).toEqual([
        expect.objectContaining({ kid: signing, state: "active-signing" }),
      ]);
      const rotated = (await step("rotateKey", 201, { body: {} })).status;
      expect(rotated).toMatchObject({ state: "pending" });
      // Cancelling the rotation: the pending key never signed; the current key is untouched.
      expect((await step("retireKey", 200, { body: { kid: rotated.kid } })).status).toMatchObject({
        kid: rotated.kid,
        state: "retired-until",
      });

      const coveredRoutes = [...covered].map((route) => {
        const { method, url } = ADMIN_ROUTES[route];
        return `${method} ${url}`;
      });
      expect(coveredRoutes.sort()).toEqual(Object.keys(ROUTE_RULES).sort());
    });
  });

  describe("refusals", () => {
    const admin = (method: string, url: string, body?: unknown) =>
      call(server, method, url, {
        token: server.adminToken,
        ...(body === undefined ? {} : { body }),
      });

    it("duplicate → 409 with the original's integrity-error text (no SQL)", async () => {
      const org = await admin("POST", "/add/org", { oname: "org1" });
      expect(org.statusCode).toBe(409);
      const body = org.json();
      expect(body.code).toBe("ALREADY_EXISTS");
      expect(body.status).toBe(
        'databse integrity error, org1 by the same name may be already present  or all the requredfileds has not been supplied.\n\n Full detail: organization "org1" already exists',
      );
      expectNoInternals(org.body);

      const user = await admin("POST", "/add/user", {
        name: "u1",
        password: "password",
        wfc: "wfc1",
        roles: ["role1"],
      });
      expect(user.statusCode).toBe(409);
      expect(user.json().message).toBe('user "u1" already exists');

      await admin("POST", "/add/service", { name: "dupsvc", urlint: "http://dup" });
      const service = await admin("POST", "/add/service", {
        name: "dupsvc",
        urlint: "http://dup2",
      });
      expect(service.statusCode).toBe(409);
      expect(service.json().status).toBe(
        "databse integrity error, dupsvc by the same name may be already present",
      );
    });

    it("still referenced → 409 naming what references it", async () => {
      for (const [url, referrer] of [
        ["/delete/org/org1", 'wfc "wfc1"'],
        ["/delete/ou/ou1", 'wfc "wfc1"'],
        ["/delete/dept/dept1", 'wfc "wfc1"'],
        ["/delete/wfc/wfc1", 'user "u1"'],
      ] as const) {
        const response = await admin("DELETE", url);
        expect(response.statusCode, url).toBe(409);
        expect(response.json().code).toBe("STILL_REFERENCED");
        expect(response.json().message).toContain(referrer);
        expect(response.json().status).toMatch(/could not be deleted , the erro is: \n {2}/);
        expectNoInternals(response.body);
      }
    });

    it("unknown name → 404 with the original's not-found texts", async () => {
      const user = await admin("GET", "/list/user/nobody");
      expect(user.statusCode).toBe(404);
      expect(user.json()).toEqual({
        status: { error: "No such record is found" },
        message: 'user "nobody" not found',
        code: "NOT_FOUND",
      });
      const service = await admin("GET", "/list/service/nosuch");
      expect(service.statusCode).toBe(404);
      expect(service.json().status).toEqual({ msg: "no service record has been registered yet" });
      for (const [method, url, body] of [
        ["DELETE", "/delete/user/nobody", undefined],
        ["DELETE", "/delete/user", { username: "nobody" }],
        ["DELETE", "/delete/org/nosuch", undefined],
        ["DELETE", "/delete/ou", { ouname: "nosuch" }],
        ["DELETE", "/delete/dept", { deptname: "nosuch" }],
        ["DELETE", "/delete/role/nosuch", undefined],
        ["DELETE", "/delete/wfc", { wfcname: "nosuch" }],
        ["DELETE", "/delete/service/nosuch", undefined],
      ] as const) {
        const response = await admin(method, url, body);
        expect(response.statusCode, url).toBe(404);
        expect(response.json().status, url).toBe("None  not found in database");
        expect(response.json().code, url).toBe("NOT_FOUND");
      }
    });

    it("unknown role, wfc, org → 422 naming the field; nothing is saved", async () => {
      const role = await admin("POST", "/add/user", {
        name: "ghost",
        password: "password",
        wfc: "wfc1",
        roles: ["role1", "nosuchrole"],
      });
      expect(role.statusCode).toBe(422);
      expect(role.json()).toMatchObject({ code: "UNKNOWN_REFERENCE", field: "roles" });
      expect(role.json().message).toContain('role "nosuchrole"');
      const wfc = await admin("POST", "/add/user", {
        name: "ghost",
        password: "password",
        wfc: "nosuchwfc",
        roles: ["role1"],
      });
      expect(wfc.json()).toMatchObject({ code: "UNKNOWN_REFERENCE", field: "wfc" });
      expect(await server.adminService.getUser("ghost")).toBeNull();

      const org = await admin("POST", "/add/wfc", {
        fname: "wfcX",
        orgname: "nosuchorg",
        ou_name: "ou1",
        dept_name: "dept1",
      });
      expect(org.statusCode).toBe(422);
      expect(org.json()).toMatchObject({ field: "orgname" });
      // An org unit is not an org: the field is the ou's own key.
      const ou = await admin("POST", "/add/wfc", {
        fname: "wfcX",
        orgname: "org1",
        ou_name: "nosuchou",
        dept_name: "dept1",
      });
      expect(ou.statusCode).toBe(422);
      expect(ou.json()).toMatchObject({ code: "UNKNOWN_REFERENCE", field: "ou_name" });
    });

    it("bad input → 400 naming the field", async () => {
      const long = "x".repeat(65);
      const cases: Array<[string, string, unknown, string]> = [
        ["POST", "/add/org", {}, "oname"],
        ["POST", "/add/org", { oname: "x", extra: 1 }, "extra"],
        ["POST", "/add/org", { oname: 5 }, "oname"],
        ["POST", "/add/org", { oname: "   " }, "oname"],
        ["POST", "/add/org", { oname: long }, "oname"],
        ["POST", "/add/ou", { ouname: "a\u0000b" }, "ouname"],
        ["POST", "/add/wfc", { fname: "w", orgname: "org1", ou_name: "ou1" }, "dept_name"],
        [
          "POST",
          "/add/wfc",
          { fname: "", orgname: "org1", ou_name: "ou1", dept_name: "dept1" },
          "fname",
        ],
        ["POST", "/add/user", { password: "password", wfc: "wfc1", roles: [] }, "name"],
        ["POST", "/add/user", { name: "", password: "password", wfc: "wfc1", roles: [] }, "name"],
        [
          "POST",
          "/add/user",
          { username: long, password: "password", wfc: "wfc1", roles: [] },
          "username",
        ],
        [
          "POST",
          "/add/user",
          { name: "a", username: "b", password: "password", wfc: "wfc1", roles: [] },
          "username",
        ],
        ["POST", "/add/user", { name: "a", wfc: "wfc1", roles: [] }, "password"],
        [
          "POST",
          "/add/user",
          { name: "a", password: "password", wfc: "wfc1", roles: "role1" },
          "roles",
        ],
        [
          "POST",
          "/add/user",
          { name: "a", password: "password", wfc: "wfc1", roles: [""] },
          "roles",
        ],
        [
          "POST",
          "/add/user",
          { name: "a", email: 5, password: "password", wfc: "wfc1", roles: [] },
          "email",
        ],
        ["POST", "/add/service", { name: "s" }, "urlint"],
        ["POST", "/add/service", { name: "s", urlint: "u".repeat(300) }, "urlint"],
        ["POST", "/add/service", { name: "s", urlint: "u", urlext: 1 }, "urlext"],
        ["DELETE", "/delete/user", {}, "username"],
        ["DELETE", "/delete/org", { name: "org1" }, "oname"],
        ["DELETE", "/delete/org", { oname: "org1", name: "org1" }, "name"],
        ["DELETE", `/delete/org/${long}`, undefined, "name"],
        ["GET", `/list/user/${long}`, undefined, "username"],
        ["GET", "/list/nosuchentity", undefined, "entity"],
        ["POST", "/add/nosuchentity", { name: "x" }, "entity"],
        ["DELETE", "/delete/nosuchentity/x", undefined, "entity"],
      ];
      for (const [method, url, body, field] of cases) {
        const response = await admin(method, url, body);
        const label = `${method} ${url} ${JSON.stringify(body)}`;
        expect(response.statusCode, label).toBe(400);
        expect(response.json(), label).toMatchObject({ code: "VALIDATION_FAILED", field });
        expect(response.json().message, label).toContain(
          field === "entity" ? "nosuchentity" : field,
        );
        expectNoInternals(response.body);
      }
      expect(await server.adminService.getOrg("x")).toBeNull();
    });

    it("a missing key keeps the original's status text listing the route's keys (§3.6)", async () => {
      const response = await admin("POST", "/add/wfc", { fname: "w9", orgname: "org1" });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        status:
          ' the request must have the following             information ["fname", "orgname", "ou_name", "dept_name"]',
        code: "VALIDATION_FAILED",
        field: "ou_name",
      });
    });

    it("malformed or non-object JSON bodies → 400", async () => {
      const malformed = await call(server, "POST", "/add/org", {
        token: server.adminToken,
        raw: '{"oname": ',
      });
      expect(malformed.statusCode).toBe(400);
      const array = await call(server, "POST", "/add/org", {
        token: server.adminToken,
        body: ["x"],
      });
      expect(array.statusCode).toBe(400);
      expect(array.json().field).toBe("body");
    });
  });
});

describeEachProvider("admin API with the ACL file as the only source of grants", (ctx) => {
  let server: AdminTestServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tl-acl-"));
    const aclFile = join(dir, "role_to_acl_map.yml");
    await writeFile(
      aclFile,
      [
        "- name: admin",
        "  allow:",
        "    - tokenleader.*",
        "- name: role1",
        "  allow:",
        "    - tokenleader.adminops.add_org",
        "",
      ].join("\n"),
    );
    // No super-role: the admin is allowed only because the file grants it tokenleader.*.
    server = await createAdminTestServer({ db: ctx.db, aclFile, superRoles: "nobody" });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("grants follow the file: admin through tokenleader.*, role1 only add_org", async () => {
    expect(server.settings.enforcer.superRoles).toEqual(["nobody"]);
    const admin = await call(server, "POST", "/add/role", {
      token: server.adminToken,
      body: { rolename: "role9" },
    });
    expect(admin.statusCode).toBe(201);
    const role1Add = await call(server, "POST", "/add/org", {
      token: server.role1Token,
      body: { oname: "granted-org" },
    });
    expect(role1Add.statusCode).toBe(201);
    const role1List = await call(server, "GET", "/list/users", { token: server.role1Token });
    expect(role1List.statusCode).toBe(403);
  });
});

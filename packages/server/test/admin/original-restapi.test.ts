import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachProvider } from "../helpers/test-databases.js";
import {
  type AdminTestServer,
  call,
  createAdminTestServer,
  RESTRICTED_TEXT,
} from "./helpers/admin-test-server.js";

// The original server's REST tests with their data (reference §9.1 test_admin_restapi.py and
// test_catalog_ops.py, §9.2 tokenrest test_admin_restapi.py / test_catalog_restapi.py), now
// against protected routes: the calls carry the admin's (or role1's) token.

describeEachProvider("original REST tests (reference §9.1, §9.2)", (ctx) => {
  let server: AdminTestServer;

  beforeAll(async () => {
    server = await createAdminTestServer({ db: ctx.db });
  });
  afterAll(async () => {
    await server?.close();
  });

  describe("test_admin_restapi.py (prasenkr master)", () => {
    it("test_list_users_without_token: the original's restricted message, now with 401", async () => {
      const response = await call(server, "GET", "/list/users");
      expect(response.statusCode).toBe(401);
      expect(response.json().message).toContain(RESTRICTED_TEXT);
    });

    it("test_list_users_with_token: role1 is granted list_users by the shipped ACL", async () => {
      const response = await call(server, "GET", "/list/users", { token: server.role1Token });
      expect(response.statusCode).toBe(200);
      const { status } = response.json();
      expect(Array.isArray(status)).toBe(true);
      expect(status.map((user: { username: string }) => user.username)).toEqual(["admin", "u1"]);
      expect(status[1]).toEqual({
        id: expect.any(Number),
        username: "u1",
        email: "u1@abc.com",
        roles: ["role1"],
        wfc: {
          id: expect.any(Number),
          name: "wfc1",
          org: "org1",
          orgunit: "ou1",
          department: "dept1",
        },
      });
    });

    it("test_list_users_byid_restapi: GET /list/user/u1", async () => {
      const response = await call(server, "GET", "/list/user/u1", { token: server.adminToken });
      expect(response.statusCode).toBe(200);
      expect(response.json().status.username).toBe("u1");
    });

    it("test_add_user_restapi: u2 has been registered.", async () => {
      const response = await call(server, "POST", "/add/user", {
        token: server.adminToken,
        body: {
          name: "u2",
          email: "u2@abc.com",
          password: "u2-password",
          wfc: "wfc1",
          roles: ["role1"],
        },
      });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({ status: "u2 has been registered." });
      // The new user can log in and gets the role and wfc it was given.
      const token = await server.tokenFor("u2", "u2-password");
      const verified = await server.app.inject({
        method: "GET",
        url: "/token/verify_token",
        headers: { "x-auth-token": token },
      });
      expect(verified.json().payload.sub).toMatchObject({ username: "u2", roles: ["role1"] });
    });

    it("test_delete_user_restapi: u1 has been  deleted successfully (two spaces)", async () => {
      const response = await call(server, "DELETE", "/delete/user/u1", {
        token: server.adminToken,
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: "u1 has been  deleted successfully" });
      const gone = await call(server, "GET", "/list/user/u1", { token: server.adminToken });
      expect(gone.statusCode).toBe(404);
    });

    it("a path-form DELETE sent with Content-Type: application/json and no body works", async () => {
      await server.adminService.addRole("scratch");
      const response = await server.app.inject({
        method: "DELETE",
        url: "/delete/role/scratch",
        headers: { "x-auth-token": server.adminToken, "content-type": "application/json" },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: "scratch has been  deleted successfully" });
    });

    it("test_delete_org_restapi / test_delete_ou_restapi: refused while wfc1 uses them, deleted once it is gone", async () => {
      // The original deleted org1 and left wfc1 dangling (its users' token requests then
      // crashed). Here the deletion is refused, naming what still uses the org.
      const refused = await call(server, "DELETE", "/delete/org/org1", {
        token: server.adminToken,
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ code: "STILL_REFERENCED" });
      expect(refused.json().message).toContain('"wfc1"');

      // wfc1 is still used by u2 (added above): that is named too.
      const wfcRefused = await call(server, "DELETE", "/delete/wfc/wfc1", {
        token: server.adminToken,
      });
      expect(wfcRefused.statusCode).toBe(409);
      expect(wfcRefused.json().message).toContain('"u2"');

      for (const url of ["/delete/user/u2", "/delete/wfc/wfc1"]) {
        expect((await call(server, "DELETE", url, { token: server.adminToken })).statusCode).toBe(
          200,
        );
      }
      const org = await call(server, "DELETE", "/delete/org/org1", { token: server.adminToken });
      expect(org.statusCode).toBe(200);
      expect(org.json()).toEqual({ status: "org1 has been  deleted successfully" });
      const ou = await call(server, "DELETE", "/delete/ou/ou1", { token: server.adminToken });
      expect(ou.statusCode).toBe(200);
      expect(ou.json()).toEqual({ status: "ou1 has been  deleted successfully" });
    });
  });

  describe("test_catalog_ops.py", () => {
    it("test_add_service + test_service_catalog_format: microservice1 at localhost/5000", async () => {
      const response = await call(server, "POST", "/add/service", {
        token: server.adminToken,
        body: {
          name: "microservice1",
          urlint: "localhost/5000",
          urlext: "localhost/5000",
          urladmin: "localhost/5000",
        },
      });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({ status: "microservice1 has been registered." });

      const expected = {
        microservice1: {
          endpoint_url_internal: "localhost/5000",
          name: "microservice1",
          endpoint_url_admin: "localhost/5000",
          endpoint_url_external: "localhost/5000",
          id: expect.any(Number),
        },
      };
      const login = await server.app.inject({
        method: "POST",
        url: "/token/gettoken",
        payload: { username: "admin", password: "admin-password" },
      });
      expect(login.json().service_catalog).toEqual(expected);
      const listed = await call(server, "GET", "/list/services", { token: server.adminToken });
      expect(listed.json()).toEqual({ status: [expected.microservice1] });
      // Each URL lands in its own column (the tokenrest route shifted them by one).
      const one = await call(server, "GET", "/list/service/microservice1", {
        token: server.adminToken,
      });
      expect(one.json()).toEqual({ status: expected.microservice1 });
    });
  });

  describe("tokenrest branch (reference §9.2)", () => {
    it("adds org/ou/dept/role with the tokenrest body keys, then a wfc over them", async () => {
      const adds: Array<[string, Record<string, string>, string]> = [
        ["/add/org", { oname: "org2" }, "org2"],
        ["/add/ou", { ouname: "ou2" }, "ou2"],
        ["/add/dept", { deptname: "dept2" }, "dept2"],
        ["/add/role", { rolename: "role2" }, "role2"],
        [
          "/add/wfc",
          { fname: "wfc2", orgname: "org2", ou_name: "ou2", dept_name: "dept2" },
          "wfc2",
        ],
      ];
      for (const [url, body, name] of adds) {
        const response = await call(server, "POST", url, { token: server.adminToken, body });
        expect(response.statusCode, url).toBe(201);
        expect(response.json()).toEqual({ status: `${name} has been registered.` });
      }
      const wfcs = await call(server, "GET", "/list/wfc", { token: server.adminToken });
      expect(wfcs.json().status).toContainEqual({
        id: expect.any(Number),
        name: "wfc2",
        org: "org2",
        orgunit: "ou2",
        department: "dept2",
      });
    });

    it("test_add_user_restapi with the tokenrest key `username`", async () => {
      const response = await call(server, "POST", "/add/user", {
        token: server.adminToken,
        body: {
          username: "u3",
          email: "u3@abc.com",
          password: "u3-password",
          wfc: "wfc2",
          roles: ["role2"],
        },
      });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toEqual({ status: "u3 has been registered." });
      const removed = await call(server, "DELETE", "/delete/user", {
        token: server.adminToken,
        body: { username: "u3" },
      });
      expect(removed.json()).toEqual({ status: "u3 has been  deleted successfully" });
    });

    it("test_delete_wfc/dept/role_restapi: path forms", async () => {
      for (const [url, name] of [
        ["/delete/wfc/wfc2", "wfc2"],
        ["/delete/dept/dept2", "dept2"],
        ["/delete/role/role2", "role2"],
      ] as const) {
        const response = await call(server, "DELETE", url, { token: server.adminToken });
        expect(response.statusCode, url).toBe(200);
        expect(response.json()).toEqual({ status: `${name} has been  deleted successfully` });
      }
    });

    it("body-form deletes of org and ou", async () => {
      const org = await call(server, "DELETE", "/delete/org", {
        token: server.adminToken,
        body: { oname: "org2" },
      });
      expect(org.json()).toEqual({ status: "org2 has been  deleted successfully" });
      const ou = await call(server, "DELETE", "/delete/ou", {
        token: server.adminToken,
        body: { ouname: "ou2" },
      });
      expect(ou.json()).toEqual({ status: "ou2 has been  deleted successfully" });
    });

    it("test_catalog_restapi.py: add testservice at localhost:5005, list, delete", async () => {
      const added = await call(server, "POST", "/add/service", {
        token: server.adminToken,
        body: {
          name: "testservice",
          urlint: "localhost:5005",
          urlext: "localhost:5005",
          urladmin: "localhost:5005",
        },
      });
      expect(added.statusCode).toBe(201);
      expect(added.json()).toEqual({ status: "testservice has been registered." });

      const listed = await call(server, "GET", "/list/services", { token: server.adminToken });
      expect(listed.statusCode).toBe(200);
      expect(listed.json().status.map((s: { name: string }) => s.name)).toEqual([
        "microservice1",
        "testservice",
      ]);
      const all = await call(server, "GET", "/list/service/all", { token: server.adminToken });
      expect(all.json().status).toHaveLength(2);

      const deleted = await call(server, "DELETE", "/delete/service/testservice", {
        token: server.adminToken,
      });
      expect(deleted.statusCode).toBe(200);
      expect(deleted.json()).toEqual({ status: "testservice has been  deleted successfully" });
      const body = await call(server, "DELETE", "/delete/service", {
        token: server.adminToken,
        body: { name: "microservice1" },
      });
      expect(body.json()).toEqual({ status: "microservice1 has been  deleted successfully" });
    });
  });
});

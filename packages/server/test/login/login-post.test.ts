import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOGIN_PAGE_CSP, WRONG_CREDENTIALS_HINT } from "../../src/login/index.js";
import { describeEachProvider } from "../helpers/test-databases.js";
import { seedUsers } from "../helpers/test-server.js";
import {
  createLoginTestServer,
  InjectClient,
  type LoginTestServer,
  SAMPLE_USERS_YAML,
} from "./login-test-server.js";

// GET /, GET /login and POST /login: every row of the reference's §2.1/§2.2 tables, with the
// fixes (bad input is never a 500, login CSRF on the form, rate limit).

describeEachProvider("cookie login: pages and POST /login", (ctx) => {
  let server: LoginTestServer;
  beforeAll(async () => {
    server = await createLoginTestServer({ db: ctx.db, usersYaml: SAMPLE_USERS_YAML });
    await seedUsers(server.adminService, [{ username: "dbuser", password: "db-password-1" }]);
  });
  afterAll(() => server.close());
  const client = () => new InjectClient(server.app);

  describe("the login page", () => {
    it.each(["/", "/login"])(
      "GET %s shows the form with a login-CSRF field and strict headers",
      async (path) => {
        const c = client();
        const page = await c.get(path);
        expect(page.statusCode).toBe(200);
        expect(page.headers["content-type"]).toBe("text/html; charset=utf-8");
        expect(page.headers["content-security-policy"]).toBe(LOGIN_PAGE_CSP);
        expect(page.headers["cache-control"]).toBe("no-store");
        expect(page.body).toContain('<form action="login" method="post">');
        expect(page.body).toContain('autocomplete="current-password"');
        expect(page.body).toMatch(/name="csrf_token" value="\d+\.[\w-]+"/);
        // The hint is present but hidden, as in the original.
        expect(page.body).toMatch(/class="hint hidden" hidden>Wrong Username or Password!/);
        const cookie = c.jar.get("login_csrf");
        expect(cookie).toMatchObject({
          path: "/login",
          httpOnly: true,
          secure: true,
          sameSite: "Lax",
        });
        expect(cookie?.maxAge).toBeGreaterThan(0);
      },
    );
  });

  describe("JSON", () => {
    it("right password of a users.yaml user: 200 {login: true} and the four cookies", async () => {
      const c = client();
      const res = await c.login("alice", "alice-pw");
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ login: true });
      expect(c.jar.get("access_token_cookie")).toMatchObject({
        path: "/",
        httpOnly: true,
        secure: true,
        sameSite: "Lax",
        maxAge: undefined,
      });
      expect(c.jar.get("refresh_token_cookie")).toMatchObject({
        path: "/refresh",
        httpOnly: true,
        secure: true,
        sameSite: "Lax",
      });
      for (const name of ["csrf_access_token", "csrf_refresh_token"]) {
        expect(c.jar.get(name)).toMatchObject({
          path: "/",
          httpOnly: false,
          secure: true,
          sameSite: "Lax",
        });
      }
      // Separate CSRF values for the two scopes.
      expect(c.jar.get("csrf_access_token")?.value).not.toBe(
        c.jar.get("csrf_refresh_token")?.value,
      );
    });

    it("right password of a database user logs in too", async () => {
      const c = client();
      const res = await c.login("dbuser", "db-password-1");
      expect(res.statusCode).toBe(200);
      const status = await c.get("/user_status");
      expect(status.json()).toEqual({
        currentUser: "dbuser",
        UserRoles: ["role1"],
        "Current authmethod": "database",
      });
    });

    it.each([
      ["wrong password", { username: "alice", password: "nope" }],
      ["unknown user", { username: "stranger", password: "awierdPassword" }],
      ["empty object", {}],
      ["known user without password", { username: "alice" }],
      ["database user with a wrong password", { username: "dbuser", password: "alice-pw" }],
    ])("%s: 403 {login: false}, no cookies", async (_label, body) => {
      const c = client();
      const res = await c.post("/login", { json: body });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ login: false });
      expect(res.headers["set-cookie"]).toBeUndefined();
    });

    it.each([
      ["an array body", "[1,2]"],
      ["a string body", '"alice"'],
      ["a null body", "null"],
      ["a numeric password of a known user", '{"username":"alice","password":123}'],
      ["an object username", '{"username":{"a":1},"password":"x"}'],
      [
        "a password longer than 1024",
        JSON.stringify({ username: "alice", password: "x".repeat(1025) }),
      ],
    ])("%s: 400 {login: false} naming the problem, never 500", async (_label, body) => {
      const res = await server.app.inject({
        method: "POST",
        url: "/login",
        headers: { "content-type": "application/json" },
        payload: body,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ login: false });
      expect(typeof res.json().msg).toBe("string");
    });

    it("invalid JSON: 400 {login: false}", async () => {
      const res = await server.app.inject({
        method: "POST",
        url: "/login",
        headers: { "content-type": "application/json" },
        payload: "{not json",
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ login: false, msg: "the request body is not valid JSON" });
    });

    it("application/*+json is JSON", async () => {
      const res = await server.app.inject({
        method: "POST",
        url: "/login",
        headers: { "content-type": "application/vnd.api+json" },
        payload: JSON.stringify({ username: "alice", password: "alice-pw" }),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ login: true });
    });
  });

  describe("other content", () => {
    it.each([
      ["text/plain", "username=alice&password=alice-pw"],
      ["application/xml", "<login/>"],
      ["multipart/mixed; boundary=x", "--x--"],
    ])("%s: 415 {login: false}", async (type, payload) => {
      const res = await server.app.inject({
        method: "POST",
        url: "/login",
        headers: { "content-type": type },
        payload,
      });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ login: false });
    });

    it("an empty body: 403 {login: false} (the original's fallback)", async () => {
      const res = await server.app.inject({ method: "POST", url: "/login" });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ login: false });
    });

    it("GET /refresh is 405 (POST only, as in the original)", async () => {
      const res = await server.app.inject({ method: "GET", url: "/refresh" });
      expect(res.statusCode).toBe(405);
      expect(res.headers.allow).toBe("POST");
    });
  });

  describe("form", () => {
    it("right password: 302 to /user_status with the cookies; the browser then sees the status page", async () => {
      const c = client();
      const csrf = await c.formToken();
      const res = await c.post("/login", {
        form: { csrf_token: csrf, username: "test", password: "test" },
      });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe("/user_status");
      expect(c.jar.get("access_token_cookie")).toBeDefined();
      const page = await c.get("/user_status", { headers: { accept: "text/html" } });
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-security-policy"]).toBe(LOGIN_PAGE_CSP);
      expect(page.body).toContain("<dd>test</dd>");
      expect(page.body).toContain("<li>Admin</li><li>default</li>");
      expect(page.body).toContain('href="logout"');
    });

    it("wrong password: 403, the page again with the hint shown and the username kept", async () => {
      const c = client();
      const csrf = await c.formToken("/");
      const res = await c.post("/login", {
        form: { csrf_token: csrf, username: "test", password: "bad" },
      });
      expect(res.statusCode).toBe(403);
      expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(res.body).toContain(`role="alert">${WRONG_CREDENTIALS_HINT}`);
      expect(res.body).toContain('value="test"');
      expect(c.jar.get("access_token_cookie")).toBeUndefined();
      // The page carries a fresh, working CSRF field.
      const again = /name="csrf_token" value="([^"]+)"/.exec(res.body)![1]!;
      const ok = await c.post("/login", {
        form: { csrf_token: again, username: "test", password: "test" },
      });
      expect(ok.statusCode).toBe(302);
    });

    it("a field without a value: 403 with the hint, not 500", async () => {
      const c = client();
      const csrf = await c.formToken();
      const res = await c.post("/login", { form: { csrf_token: csrf, username: "test" } });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain(`role="alert">${WRONG_CREDENTIALS_HINT}`);
    });

    it.each([
      ["no CSRF field", (_csrf: string) => ({ username: "test", password: "test" })],
      [
        "a forged CSRF field",
        (_csrf: string) => ({ csrf_token: "1.AAAA", username: "test", password: "test" }),
      ],
    ])("%s: 403 'form expired' page, no login (login CSRF)", async (_label, fields) => {
      const c = client();
      const csrf = await c.formToken();
      const res = await c.post("/login", { form: fields(csrf) });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain("The login form expired");
      expect(c.jar.get("access_token_cookie")).toBeUndefined();
    });

    it("a CSRF field without its cookie (another browser's form): 403, no login", async () => {
      const csrf = await client().formToken();
      const res = await client().post("/login", {
        form: { csrf_token: csrf, username: "test", password: "test" },
      });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain("The login form expired");
    });
  });
});

describeEachProvider("cookie login: legacy users.yaml hashes", (ctx) => {
  let server: LoginTestServer;
  beforeAll(async () => {
    server = await createLoginTestServer({ db: ctx.db, usersYaml: SAMPLE_USERS_YAML });
  });
  afterAll(() => server.close());

  it("a legacy sha256 entry logs in and is rewritten as argon2id without ending that session", async () => {
    const before = await readFile(server.usersFile, "utf8");
    expect(before).not.toContain("$argon2id$");
    const c = new InjectClient(server.app);
    const res = await c.login("test", "test");
    expect(res.statusCode).toBe(200);
    const after = await readFile(server.usersFile, "utf8");
    expect(after).toMatch(/test:\n(?:.*\n)*?\s+password: \$argon2id\$/);
    expect(after).toContain(`alice:`);
    // The server sees its own rewrite (watcher): no change of credentials, the session lives on.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await c.get("/user_status")).statusCode).toBe(200);
    // Same password, now checked against the new hash.
    expect((await new InjectClient(server.app).login("test", "test")).statusCode).toBe(200);
    expect((await new InjectClient(server.app).login("test", "wrong")).statusCode).toBe(403);
  });
});

describeEachProvider("cookie login: rate limit and audit log", (ctx) => {
  let server: LoginTestServer;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const { default: pino } = await import("pino");
    const logger = pino(
      { level: "info" },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    server = await createLoginTestServer({
      db: ctx.db,
      usersYaml: SAMPLE_USERS_YAML,
      guessing: "settings",
      ini: { login: { max_failures_per_account: "3", max_failures_per_source: "3" } },
      logger,
    });
  });
  afterAll(() => server.close());

  it("logs each failure with its reason but never the password", async () => {
    await new InjectClient(server.app).login("alice", "secret-guess-1");
    const failure = lines.find((line) => line.event === "login" && line.outcome === "failure");
    expect(failure).toMatchObject({ username: "alice", reason: "wrong-password", via: "json" });
    expect(JSON.stringify(lines)).not.toContain("secret-guess-1");
  });

  it("answers 429 {login: false} after too many attempts from one address", async () => {
    const c = new InjectClient(server.app);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await c.login("alice", "nope")).statusCode);
    expect(statuses.slice(0, 2)).toEqual([403, 403]);
    const limited = await c.login("alice", "alice-pw");
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ login: false });
    expect(limited.headers["retry-after"]).toBeDefined();
  });
});

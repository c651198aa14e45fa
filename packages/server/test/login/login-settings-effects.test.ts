import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOGIN_DISABLED_WARNING } from "../../src/login/index.js";
import { createTestDatabase, type TestDatabase } from "../helpers/test-databases.js";
import { seedUsers } from "../helpers/test-server.js";
import {
  createLoginTestServer,
  InjectClient,
  type LoginTestServer,
  SAMPLE_USERS_YAML,
} from "./login-test-server.js";

// What the [login] settings change at the HTTP level. The database does not matter here: SQLite.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase("sqlite");
});
afterAll(() => database.cleanup());

describe("[login] enabled = false", () => {
  let server: LoginTestServer;
  const lines: Record<string, unknown>[] = [];
  beforeAll(async () => {
    const { default: pino } = await import("pino");
    server = await createLoginTestServer({
      db: database.db,
      usersYaml: SAMPLE_USERS_YAML,
      ini: { login: { enabled: "false" } },
      logger: pino(
        { level: "info" },
        { write: (line: string) => void lines.push(JSON.parse(line)) },
      ),
    });
  });
  afterAll(() => server.close());

  it("starts (no crash, unlike the original), logs a loud warning and serves no login routes", async () => {
    expect(lines.some((line) => line.level === 40 && line.msg === LOGIN_DISABLED_WARNING)).toBe(
      true,
    );
    expect(server.settings.warnings.some((w) => w.includes("enabled = false"))).toBe(true);
    for (const [method, url] of [
      ["GET", "/login"],
      ["POST", "/login"],
      ["POST", "/refresh"],
      ["GET", "/logout"],
      ["GET", "/user_status"],
      ["GET", "/ga4gh/wes/user_status"],
    ] as const) {
      expect((await server.app.inject({ method, url })).statusCode).toBe(404);
    }
    // The rest of the server works.
    expect(
      (await server.app.inject({ method: "GET", url: "/.well-known/jwks.json" })).statusCode,
    ).toBe(200);
  });
});

describe("cookie paths, SameSite and Secure from the settings; csrf_protect = false", () => {
  let server: LoginTestServer;
  beforeAll(async () => {
    server = await createLoginTestServer({
      db: database.db,
      usersYaml: SAMPLE_USERS_YAML,
      ini: {
        login: {
          // The original's access path; the refresh cookie then goes everywhere so that
          // /logout still sees a token cookie (the original's /refresh path is refused).
          access_cookie_path: "/ga4gh/wes/",
          refresh_cookie_path: "/",
          same_site: "Strict",
          cookie_secure: "false",
          csrf_protect: "false",
          access_ttl: "120",
        },
      },
    });
  });
  afterAll(() => server.close());

  it("sets the cookies with the configured attributes and no CSRF cookies", async () => {
    const c = new InjectClient(server.app);
    expect((await c.login("alice", "alice-pw")).statusCode).toBe(200);
    expect(c.jar.get("access_token_cookie")).toMatchObject({
      path: "/ga4gh/wes/",
      secure: false,
      sameSite: "Strict",
      httpOnly: true,
    });
    expect(c.jar.get("csrf_access_token")).toBeUndefined();
    expect(c.jar.get("csrf_refresh_token")).toBeUndefined();
    // Only the original's path gets the access cookie now.
    expect((await c.get("/ga4gh/wes/user_status")).statusCode).toBe(200);
    expect((await c.get("/user_status")).statusCode).toBe(401);
    // No CSRF header needed when protection is off.
    expect((await c.post("/refresh")).statusCode).toBe(200);
  });

  it("logout ends the session through the refresh cookie when the access cookie does not reach /logout", async () => {
    const c = new InjectClient(server.app);
    expect((await c.login("alice", "alice-pw")).statusCode).toBe(200);
    const before = c.jar.clone();
    // The browser sends only the refresh cookie to /logout.
    expect(c.jar.header("/logout")).toMatch(/^refresh_token_cookie=[^;]+$/);
    const res = await c.post("/logout");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ logout: true });
    const replay = new InjectClient(server.app);
    Object.assign(replay, { jar: before });
    const status = await replay.get("/ga4gh/wes/user_status");
    expect(status.statusCode).toBe(401);
    expect(status.json().code).toBe("SESSION_ENDED");
    const refresh = await replay.post("/refresh");
    expect(refresh.statusCode).toBe(401);
    expect(refresh.json().code).toBe("SESSION_ENDED");
  });
});

describe("access cookie on /ga4gh/wes/, refresh cookie on /, CSRF on", () => {
  let server: LoginTestServer;
  beforeAll(async () => {
    server = await createLoginTestServer({
      db: database.db,
      usersYaml: SAMPLE_USERS_YAML,
      ini: { login: { access_cookie_path: "/ga4gh/wes/", refresh_cookie_path: "/" } },
    });
  });
  afterAll(() => server.close());

  it("POST /logout needs csrf_refresh_token in X-CSRF-TOKEN; then the old tokens are dead", async () => {
    const c = new InjectClient(server.app);
    expect((await c.login("alice", "alice-pw")).statusCode).toBe(200);
    const before = c.jar.clone();
    // The access value cannot be checked without the access cookie: refused, still logged in.
    const wrong = await c.post("/logout", { csrf: "access" });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual({
      msg: "CSRF double submit tokens do not match",
      code: "CSRF_MISMATCH",
    });
    expect((await c.get("/ga4gh/wes/user_status")).statusCode).toBe(200);

    const res = await c.post("/logout", { csrf: "refresh" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ logout: true });
    const replay = new InjectClient(server.app);
    Object.assign(replay, { jar: before });
    expect((await replay.get("/ga4gh/wes/user_status")).json().code).toBe("SESSION_ENDED");
    expect((await replay.post("/refresh", { csrf: "refresh" })).json().code).toBe("SESSION_ENDED");
  });

  it("GET /logout (same-site) ends the session through the refresh cookie too", async () => {
    const c = new InjectClient(server.app);
    expect((await c.login("alice", "alice-pw")).statusCode).toBe(200);
    const before = c.jar.clone();
    const res = await c.get("/logout", { headers: { "sec-fetch-site": "same-origin" } });
    expect(res.statusCode).toBe(200);
    const replay = new InjectClient(server.app);
    Object.assign(replay, { jar: before });
    expect((await replay.get("/ga4gh/wes/user_status")).statusCode).toBe(401);
  });
});

describe("[local_auth] off while [login] is on", () => {
  let server: LoginTestServer;
  beforeAll(async () => {
    server = await createLoginTestServer({ db: database.db });
    await seedUsers(server.adminService, [{ username: "only-db", password: "only-db-pw" }]);
  });
  afterAll(() => server.close());

  it("database users log in; anyone else gets 403 {login: false} (the original answered 500)", async () => {
    expect((await new InjectClient(server.app).login("only-db", "only-db-pw")).statusCode).toBe(
      200,
    );
    const res = await new InjectClient(server.app).login("test", "test");
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ login: false });
  });
});

describe("token lifetimes (a controlled clock)", () => {
  let server: LoginTestServer;
  let now = Date.now();
  beforeAll(async () => {
    server = await createLoginTestServer({
      db: database.db,
      usersYaml: SAMPLE_USERS_YAML,
      now: () => now,
    });
  });
  afterAll(() => server.close());

  it("an expired access token: 401 'Token has expired'; /refresh gives a fresh one", async () => {
    const c = new InjectClient(server.app);
    expect((await c.login("alice", "alice-pw")).statusCode).toBe(200);
    now += 901_000;
    const expired = await c.get("/user_status");
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toEqual({ msg: "Token has expired", code: "TOKEN_EXPIRED" });
    expect((await c.post("/refresh", { csrf: "refresh" })).statusCode).toBe(200);
    expect((await c.get("/user_status")).statusCode).toBe(200);
  });

  it("after refresh_ttl (30 days) the refresh token has expired too: log in again", async () => {
    const c = new InjectClient(server.app);
    expect((await c.login("alice", "alice-pw")).statusCode).toBe(200);
    now += 2_592_000_000 + 1000;
    const res = await c.post("/refresh", { csrf: "refresh" });
    expect(res.statusCode).toBe(401);
    expect(res.json().msg).toBe("Token has expired");
  });
});

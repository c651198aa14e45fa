import { writeFile } from "node:fs/promises";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachProvider } from "../helpers/test-databases.js";
import { seedUsers } from "../helpers/test-server.js";
import { CookieJar } from "./cookie-jar.js";
import {
  createLoginTestServer,
  InjectClient,
  type LoginTestServer,
  legacyHash,
  SAMPLE_USERS_YAML,
} from "./login-test-server.js";

// /refresh, /logout, /user_status and the server-side sessions behind them: the reference's
// §2.3-2.5 and §3.4 tables with our fixes (rotation, re-use detection, revocation).

describeEachProvider("cookie login: sessions, refresh, logout", (ctx) => {
  let server: LoginTestServer;
  beforeAll(async () => {
    server = await createLoginTestServer({ db: ctx.db, usersYaml: SAMPLE_USERS_YAML });
    await seedUsers(server.adminService, [{ username: "dbuser", password: "db-password-1" }]);
  });
  afterAll(() => server.close());

  async function loggedIn(username = "alice", password = "alice-pw") {
    const c = new InjectClient(server.app);
    expect((await c.login(username, password)).statusCode).toBe(200);
    return c;
  }
  const verifyToken = (token: string) =>
    server.app.inject({
      method: "GET",
      url: "/token/verify_token",
      headers: { "x-auth-token": token },
    });

  describe("tokens", () => {
    it("access token: server-signed (kid from the JWKS), type/csrf/jti/sid and the bearer user claims", async () => {
      const c = await loggedIn();
      const access = c.jar.get("access_token_cookie")!.value;
      const refresh = c.jar.get("refresh_token_cookie")!.value;
      const claims = decodeJwt(access);
      expect(claims).toMatchObject({
        type: "access",
        csrf: c.jar.get("csrf_access_token")!.value,
        iss: server.settings.token.issuer,
        sub: { id: 0, username: "alice", email: null, roles: ["reader"], wfc: null },
      });
      expect(claims.exp! - claims.iat!).toBe(900);
      expect(typeof claims.jti).toBe("string");
      const refreshClaims = decodeJwt(refresh);
      expect(refreshClaims).toMatchObject({
        type: "refresh",
        sid: claims.sid,
        csrf: c.jar.get("csrf_refresh_token")!.value,
        identity: { username: "alice", authType: "file" },
      });
      expect(refreshClaims.sub).toBeUndefined();
      // It expires with its session, which opened (and began its 30 days) at most one clock
      // second before the token's iat was read.
      const refreshLifetime = refreshClaims.exp! - refreshClaims.iat!;
      expect(refreshLifetime).toBeGreaterThanOrEqual(2_592_000 - 1);
      expect(refreshLifetime).toBeLessThanOrEqual(2_592_000);
      // The access token is a valid bearer token; the refresh token is not.
      const verified = await verifyToken(access);
      expect(verified.statusCode).toBe(200);
      expect(verified.json().payload.sub.username).toBe("alice");
      expect((await verifyToken(refresh)).statusCode).toBe(401);
    });

    it("a database user's session ends when the user changes behind its back (a login that raced the change)", async () => {
      await seedUsers(server.adminService, [{ username: "racer", password: "racer-password" }]);
      const c = await loggedIn("racer", "racer-password");
      const access = c.jar.get("access_token_cookie")!.value;
      expect(decodeJwt(access).tva).toBe(0);
      expect(decodeJwt(c.jar.get("refresh_token_cookie")!.value).tva).toBe(0);
      expect((await verifyToken(access)).statusCode).toBe(200);
      // What a password change does when the session does not exist yet for it to revoke: only
      // the cutoff moves. (Written directly; the caches are told as after a commit.)
      await ctx.db.prisma.user.update({
        where: { username: "racer" },
        data: { tokensValidAfter: new Date() },
      });
      server.sessions.forgetUser("racer");
      expect((await verifyToken(access)).statusCode).toBe(401);
      const refreshed = await c.post("/refresh", { csrf: "refresh" });
      expect(refreshed.statusCode).toBe(401);
      expect(refreshed.json()).toMatchObject({ code: "SESSION_ENDED" });
      const other = await loggedIn("racer", "racer-password");
      const status = await other.get("/user_status");
      expect(status.statusCode).toBe(200);
      // The first client's session is over for good.
      expect((await c.get("/user_status")).statusCode).toBe(401);
    });

    it("a users.yaml wfc name is resolved through the database", async () => {
      await writeFile(
        server.usersFile,
        `${SAMPLE_USERS_YAML}carol:\n  roles: [role1]\n  password: ${legacyHash("carol-pw", "s")}\n  salt: s\n  wfc: wfc1\n`,
      );
      await waitFor(
        async () =>
          (await new InjectClient(server.app).login("carol", "carol-pw")).statusCode === 200,
      );
      const c = await loggedIn("carol", "carol-pw");
      expect(decodeJwt(c.jar.get("access_token_cookie")!.value).sub).toMatchObject({
        username: "carol",
        wfc: { name: "wfc1", org: "org1", orgunit: "ou1", department: "dept1" },
      });
    });
  });

  describe("GET /user_status", () => {
    it.each(["/user_status", "/ga4gh/wes/user_status"])(
      "%s: the current user with roles as a JSON list",
      async (path) => {
        const c = await loggedIn("test", "test");
        const res = await c.get(path);
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({
          currentUser: "test",
          UserRoles: ["Admin", "default"],
          "Current authmethod": "local",
        });
      },
    );

    it("without the cookie: 401 with the original's message", async () => {
      const res = await server.app.inject({ method: "GET", url: "/ga4gh/wes/user_status" });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        msg: 'Missing cookie "access_token_cookie"',
        code: "COOKIE_MISSING",
      });
    });

    it("a browser without the cookie is sent to the login form", async () => {
      const res = await server.app.inject({
        method: "GET",
        url: "/ga4gh/wes/user_status",
        headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" },
      });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe("../../login");
    });

    it("a refresh token in the access cookie: 401 'Only access tokens are allowed'", async () => {
      const c = await loggedIn();
      const res = await server.app.inject({
        method: "GET",
        url: "/user_status",
        headers: { cookie: `access_token_cookie=${c.jar.get("refresh_token_cookie")!.value}` },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        msg: "Only access tokens are allowed",
        code: "TOKEN_WRONG_TYPE",
      });
    });

    it.each([
      ["malformed", "not-a-jwt", "TOKEN_INVALID"],
      ["tampered", null, "TOKEN_SIGNATURE"],
    ])("a %s access cookie: 401 naming the problem", async (_label, value, code) => {
      const c = await loggedIn();
      const real = c.jar.get("access_token_cookie")!.value;
      const [h, p, s] = real.split(".");
      const forged =
        value ??
        `${h}.${Buffer.from(JSON.stringify({ ...decodeJwt(real), sub: { id: 0, username: "alice", email: null, roles: ["Admin"], wfc: null } })).toString("base64url")}.${s}`;
      expect(p).toBeDefined();
      const res = await server.app.inject({
        method: "GET",
        url: "/user_status",
        headers: { cookie: `access_token_cookie=${forged}` },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe(code);
    });
  });

  describe("POST /refresh", () => {
    it("with the refresh CSRF header: 200 {refresh: true}, new access AND refresh tokens (rotation)", async () => {
      const c = await loggedIn();
      const oldAccess = c.jar.get("access_token_cookie")!.value;
      const oldRefresh = c.jar.get("refresh_token_cookie")!.value;
      const res = await c.post("/refresh", { csrf: "refresh" });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ refresh: true });
      const newAccess = c.jar.get("access_token_cookie")!.value;
      const newRefresh = c.jar.get("refresh_token_cookie")!.value;
      expect(newAccess).not.toBe(oldAccess);
      expect(newRefresh).not.toBe(oldRefresh);
      expect(decodeJwt(newRefresh).sid).toBe(decodeJwt(oldRefresh).sid);
      expect(decodeJwt(newAccess).csrf).toBe(c.jar.get("csrf_access_token")!.value);
      expect((await c.get("/user_status")).statusCode).toBe(200);
      // And again with the new refresh token.
      expect((await c.post("/refresh", { csrf: "refresh" })).statusCode).toBe(200);
    });

    it("re-use of a rotated refresh token: 401 and the WHOLE session is revoked", async () => {
      const c = await loggedIn();
      const stolen = c.jar.clone();
      expect((await c.post("/refresh", { csrf: "refresh" })).statusCode).toBe(200);
      const currentAccess = c.jar.get("access_token_cookie")!.value;
      // The thief replays the old refresh token.
      const thief = new InjectClient(server.app);
      Object.assign(thief, { jar: stolen });
      const replay = await thief.post("/refresh", { csrf: "refresh" });
      expect(replay.statusCode).toBe(401);
      expect(replay.json().code).toBe("REFRESH_TOKEN_REUSED");
      // The legitimate user's newer tokens are dead too.
      expect((await c.get("/user_status")).statusCode).toBe(401);
      expect((await c.post("/refresh", { csrf: "refresh" })).statusCode).toBe(401);
      expect((await verifyToken(currentAccess)).statusCode).toBe(401);
    });

    it.each([
      ["no CSRF header", undefined, "Missing CSRF token"],
      [
        "the ACCESS csrf value (wrong scope)",
        "access" as const,
        "CSRF double submit tokens do not match",
      ],
    ])("%s: 401 with the original's message, session untouched", async (_label, csrf, msg) => {
      const c = await loggedIn();
      const res = await c.post("/refresh", csrf ? { csrf } : {});
      expect(res.statusCode).toBe(401);
      expect(res.json().msg).toBe(msg);
      expect((await c.post("/refresh", { csrf: "refresh" })).statusCode).toBe(200);
    });

    it("a mismatched CSRF header: 401", async () => {
      const c = await loggedIn();
      const res = await c.post("/refresh", { headers: { "x-csrf-token": "something-else" } });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({
        msg: "CSRF double submit tokens do not match",
        code: "CSRF_MISMATCH",
      });
    });

    it("no refresh cookie: 401 'Missing cookie \"refresh_token_cookie\"'", async () => {
      const res = await server.app.inject({ method: "POST", url: "/refresh" });
      expect(res.statusCode).toBe(401);
      expect(res.json().msg).toBe('Missing cookie "refresh_token_cookie"');
    });

    it("an access token in the refresh cookie: 401 'Only refresh tokens are allowed'", async () => {
      const c = await loggedIn();
      const res = await server.app.inject({
        method: "POST",
        url: "/refresh",
        headers: {
          cookie: `refresh_token_cookie=${c.jar.get("access_token_cookie")!.value}`,
          "x-csrf-token": c.jar.get("csrf_access_token")!.value,
        },
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().msg).toBe("Only refresh tokens are allowed");
    });

    it("the refresh cookie is only sent to /refresh (path)", async () => {
      const c = await loggedIn();
      expect(c.jar.header("/user_status")).not.toContain("refresh_token_cookie");
      expect(c.jar.header("/refresh")).toContain("refresh_token_cookie");
    });
  });

  describe("logout", () => {
    it("POST /logout with the CSRF header: 200, cookies cleared, old access and refresh tokens rejected everywhere", async () => {
      const c = await loggedIn();
      const before = c.jar.clone();
      const access = before.get("access_token_cookie")!.value;
      const res = await c.post("/logout", { csrf: "access" });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ logout: true });
      const cleared = new CookieJar().store(res.headers["set-cookie"] as string[]);
      expect(
        cleared.map((cookie) => [cookie.name, cookie.path, cookie.value, cookie.maxAge]),
      ).toEqual([
        ["access_token_cookie", "/", "", 0],
        ["refresh_token_cookie", "/refresh", "", 0],
        ["csrf_access_token", "/", "", 0],
        ["csrf_refresh_token", "/", "", 0],
      ]);
      expect(cleared.find((cookie) => cookie.name === "access_token_cookie")?.httpOnly).toBe(true);
      expect(c.jar.get("access_token_cookie")).toBeUndefined();
      // Replaying the old cookies (the original accepted them until they expired).
      const replay = new InjectClient(server.app);
      Object.assign(replay, { jar: before });
      const status = await replay.get("/user_status");
      expect(status.statusCode).toBe(401);
      expect(status.json().code).toBe("SESSION_ENDED");
      expect((await replay.post("/refresh", { csrf: "refresh" })).statusCode).toBe(401);
      expect((await verifyToken(access)).json()).toMatchObject({ status: "Invalid token" });
    });

    it("POST /logout with the cookie but without the CSRF header: 401, still logged in", async () => {
      const c = await loggedIn();
      const res = await c.post("/logout");
      expect(res.statusCode).toBe(401);
      expect(res.json().msg).toBe("Missing CSRF token");
      expect((await c.get("/user_status")).statusCode).toBe(200);
    });

    it("GET /logout from a same-site navigation (or a script without fetch metadata) works", async () => {
      for (const headers of [{ "sec-fetch-site": "same-origin" }, {}] as Record<string, string>[]) {
        const c = await loggedIn();
        const access = c.jar.get("access_token_cookie")!.value;
        const res = await c.get("/logout", { headers });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({ logout: true });
        expect((await verifyToken(access)).statusCode).toBe(401);
      }
    });

    it("GET /logout from a browser page sends the person back to the login form", async () => {
      const c = await loggedIn();
      const res = await c.get("/logout", {
        headers: { "sec-fetch-site": "same-origin", accept: "text/html,*/*;q=0.8" },
      });
      expect(res.statusCode).toBe(303);
      expect(res.headers.location).toBe("login");
      expect(c.jar.get("access_token_cookie")).toBeUndefined();
    });

    it.each([[{ "sec-fetch-site": "cross-site" }], [{ origin: "https://evil.example" }]])(
      "GET /logout from another site (%o): 403, the session lives on",
      async (headers) => {
        const c = await loggedIn();
        const res = await c.get("/logout", { headers });
        expect(res.statusCode).toBe(403);
        expect(res.json().code).toBe("CROSS_SITE_LOGOUT");
        expect((await c.get("/user_status")).statusCode).toBe(200);
      },
    );

    it("logout without any cookie: 401, nothing was ended (the original claimed success)", async () => {
      const res = await server.app.inject({ method: "POST", url: "/logout" });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe("COOKIE_MISSING");
    });
  });

  describe("revocation by user changes", () => {
    it("a user removed from users.yaml loses their sessions (also for /token/verify_token)", async () => {
      await writeFile(
        server.usersFile,
        `${SAMPLE_USERS_YAML}dave:\n  roles: [x]\n  password: ${legacyHash("dave-pw", "s")}\n  salt: s\n`,
      );
      await waitFor(
        async () =>
          (await new InjectClient(server.app).login("dave", "dave-pw")).statusCode === 200,
      );
      const c = await loggedIn("dave", "dave-pw");
      const access = c.jar.get("access_token_cookie")!.value;
      expect((await verifyToken(access)).statusCode).toBe(200);
      await writeFile(server.usersFile, SAMPLE_USERS_YAML);
      await waitFor(async () => (await verifyToken(access)).statusCode === 401);
      expect((await c.get("/user_status")).statusCode).toBe(401);
      expect((await c.post("/refresh", { csrf: "refresh" })).statusCode).toBe(401);
      expect((await c.login("dave", "dave-pw")).statusCode).toBe(403);
    });

    it("a database user's password change revokes their sessions", async () => {
      const c = await loggedIn("dbuser", "db-password-1");
      const access = c.jar.get("access_token_cookie")!.value;
      expect((await verifyToken(access)).statusCode).toBe(200);
      await server.adminService.updateUser({ username: "dbuser", password: "db-password-2" });
      expect((await verifyToken(access)).statusCode).toBe(401);
      expect((await c.get("/user_status")).statusCode).toBe(401);
      expect((await c.post("/refresh", { csrf: "refresh" })).statusCode).toBe(401);
      expect((await c.login("dbuser", "db-password-2")).statusCode).toBe(200);
    });

    it("a database user's role change revokes their sessions", async () => {
      const c = await loggedIn("dbuser", "db-password-2");
      await server.adminService.addRole("role2");
      await server.adminService.updateUser({ username: "dbuser", roles: ["role2"] });
      expect((await c.get("/user_status")).statusCode).toBe(401);
      const again = await loggedIn("dbuser", "db-password-2");
      expect((await again.get("/user_status")).json().UserRoles).toEqual(["role2"]);
    });
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

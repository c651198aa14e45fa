import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../helpers/test-databases.js";
import {
  createLoginTestServer,
  InjectClient,
  type LoginTestServer,
  SAMPLE_USERS_YAML,
} from "./login-test-server.js";

// POST /logout says whether it ended anything: a token that does not verify, or an expired one
// whose session has ended too, gets 401 with the reason instead of the original's
// {"logout": true}. A token that verifies still ends its session (also once its access token
// has expired, while the session is open).

const ACCESS_TTL_MS = 900_000;

describeEachProvider("cookie login: POST /logout says whether it ended a session", (ctx) => {
  let server: LoginTestServer;
  let now = Date.now();
  beforeAll(async () => {
    server = await createLoginTestServer({
      db: ctx.db,
      usersYaml: SAMPLE_USERS_YAML,
      now: () => now,
    });
  });
  afterAll(() => server.close());

  async function loggedIn() {
    const c = new InjectClient(server.app);
    expect((await c.login("alice", "alice-pw")).statusCode).toBe(200);
    return c;
  }

  const logoutWith = (cookies: Record<string, string>, headers: Record<string, string> = {}) =>
    server.app.inject({ method: "POST", url: "/logout", cookies, headers });

  it("no token at all: 401 naming the missing cookies, not a claimed success", async () => {
    const res = await logoutWith({});
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      msg: 'Missing cookie "access_token_cookie" or "refresh_token_cookie"',
      code: "COOKIE_MISSING",
    });
  });

  it("a garbage token: 401 TOKEN_INVALID, and the useless cookies are cleared", async () => {
    const res = await logoutWith({ access_token_cookie: "garbage" }, { "x-csrf-token": "x" });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ msg: "Invalid token: not a JWT", code: "TOKEN_INVALID" });
    const cleared = res.cookies.find((cookie) => cookie.name === "access_token_cookie");
    expect(cleared?.value).toBe("");
  });

  it("a token with a bad signature: 401 TOKEN_SIGNATURE, and its session lives on", async () => {
    const c = await loggedIn();
    const access = c.jar.get("access_token_cookie")!.value;
    const [header, payload, signature] = access.split(".");
    const tampered = `${header}.${payload}.${signature!.startsWith("A") ? "B" : "A"}${signature!.slice(1)}`;
    const res = await logoutWith(
      { access_token_cookie: tampered },
      { "x-csrf-token": c.jar.get("csrf_access_token")!.value },
    );
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ msg: "Signature verification failed", code: "TOKEN_SIGNATURE" });
    expect((await c.get("/user_status")).statusCode).toBe(200);
  });

  it("an expired access token of an open session: 200, the session ends", async () => {
    const c = await loggedIn();
    now += ACCESS_TTL_MS + 1000;
    const res = await c.post("/logout", { csrf: "access" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ logout: true });
  });

  it("an expired access token whose session has already ended: 401 TOKEN_EXPIRED", async () => {
    const c = await loggedIn();
    const before = c.jar.clone();
    expect((await c.post("/logout", { csrf: "access" })).statusCode).toBe(200);
    now += ACCESS_TTL_MS + 1000;
    const replay = new InjectClient(server.app);
    Object.assign(replay, { jar: before });
    const res = await replay.post("/logout", { csrf: "access" });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ msg: "Token has expired", code: "TOKEN_EXPIRED" });
  });

  it("a valid token: 200 {logout: true} and the session has ended", async () => {
    const c = await loggedIn();
    const before = c.jar.clone();
    const res = await c.post("/logout", { csrf: "access" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ logout: true });
    const replay = new InjectClient(server.app);
    Object.assign(replay, { jar: before });
    expect((await replay.get("/user_status")).json().code).toBe("SESSION_ENDED");
  });

  it("GET /logout from a script with a garbage token: 401 too; a person is still sent to the form", async () => {
    const script = await server.app.inject({
      method: "GET",
      url: "/logout",
      cookies: { access_token_cookie: "garbage" },
    });
    expect(script.statusCode).toBe(401);
    expect(script.json().code).toBe("TOKEN_INVALID");
    const person = await server.app.inject({
      method: "GET",
      url: "/logout",
      cookies: { access_token_cookie: "garbage" },
      headers: { accept: "text/html", "sec-fetch-site": "same-origin" },
    });
    expect(person.statusCode).toBe(303);
    expect(person.headers.location).toBe("login");
  });
});

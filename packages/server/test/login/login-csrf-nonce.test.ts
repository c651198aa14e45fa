import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../helpers/test-databases.js";
import {
  createLoginTestServer,
  InjectClient,
  type LoginTestServer,
  SAMPLE_USERS_YAML,
} from "./login-test-server.js";

// Login CSRF with a planted cookie: an attacker who can set the victim's `login_csrf` cookie (a
// sibling subdomain, plain http) must not get a form field that the server accepts with it, or
// they could log the victim into the attacker's account. The server makes the nonce.

describeEachProvider("cookie login: the server makes the login-CSRF nonce", (ctx) => {
  let server: LoginTestServer;
  beforeAll(async () => {
    server = await createLoginTestServer({ db: ctx.db, usersYaml: SAMPLE_USERS_YAML });
  });
  afterAll(() => server.close());

  const PLANTED = "PlantedByTheAttacker_0123456789abcdefghijkl";

  it("GET /login with a planted cookie sets a fresh cookie of its own", async () => {
    const page = await server.app.inject({
      method: "GET",
      url: "/login",
      cookies: { login_csrf: PLANTED },
    });
    expect(page.statusCode).toBe(200);
    const issued = page.cookies.find((cookie) => cookie.name === "login_csrf");
    expect(issued?.value).toBeDefined();
    expect(issued?.value).not.toContain(PLANTED);
  });

  it("the form field handed out with a planted cookie is refused with that cookie: 403, no login", async () => {
    const page = await server.app.inject({
      method: "GET",
      url: "/login",
      cookies: { login_csrf: PLANTED },
    });
    const field = /name="csrf_token" value="([^"]+)"/.exec(page.body)?.[1];
    expect(field).toBeDefined();
    const res = await server.app.inject({
      method: "POST",
      url: "/login",
      cookies: { login_csrf: PLANTED },
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({
        csrf_token: field!,
        username: "test",
        password: "test",
      }).toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain("The login form expired");
    expect(res.cookies.find((cookie) => cookie.name === "access_token_cookie")).toBeUndefined();
  });

  it("a cookie the server issued keeps working across two open tabs", async () => {
    const c = new InjectClient(server.app);
    const firstTab = await c.formToken();
    const secondTab = await c.formToken();
    const res = await c.post("/login", {
      form: { csrf_token: firstTab, username: "test", password: "test" },
    });
    expect(res.statusCode).toBe(302);
    expect(secondTab).toMatch(/^\d+\.[\w-]{43}$/);
  });
});

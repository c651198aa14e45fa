import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminRoutesPlugin } from "../../src/http/admin/index.js";
import { FORM_EXPIRED_HINT, WRONG_CREDENTIALS_HINT } from "../../src/login/index.js";
import { TOO_MANY_ATTEMPTS_HINT } from "../../src/login/page.js";
import { describeEachProvider } from "../helpers/test-databases.js";
import { seedUsers } from "../helpers/test-server.js";
import {
  createLoginTestServer,
  formData,
  InjectClient,
  type LoginTestServer,
  multipartBody,
  SAMPLE_USERS_YAML,
} from "./login-test-server.js";

// POST /login with multipart/form-data (the original's `curl -F username=… -F password=…`): the
// same form path as a urlencoded body (login CSRF, answers, rate limit), and hostile multipart
// refused cleanly. The test server's [server] body_limit is 16kb.

const SAMPLE_ACL = fileURLToPath(new URL("../../../../etc/role_to_acl_map.yml", import.meta.url));

const FILE_REFUSED =
  "file uploads are not accepted: send username, password and csrf_token as plain form fields";
const TOO_LARGE = "the request body is larger than the server accepts";
const MUST_BE_JSON = "the request body must be JSON: send it with Content-Type: application/json";

/** A hand-made multipart body with boundary `b0undary`. */
const BOUNDARY = "b0undary";
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;
const part = (headers: string, value: string) => `--${BOUNDARY}\r\n${headers}\r\n\r\n${value}\r\n`;
const field = (name: string, value: string) =>
  part(`Content-Disposition: form-data; name="${name}"`, value);
const END = `--${BOUNDARY}--\r\n`;

describeEachProvider("cookie login: POST /login with multipart/form-data", (ctx) => {
  let server: LoginTestServer;
  beforeAll(async () => {
    server = await createLoginTestServer({
      db: ctx.db,
      usersYaml: SAMPLE_USERS_YAML,
      ini: { enforcer: { role_to_acl_map_file: SAMPLE_ACL } },
      extraPlugins: [adminRoutesPlugin],
    });
    await server.adminService.addRole("admin");
    await seedUsers(server.adminService, [
      { username: "boss", password: "boss-password-1", roles: ["admin"] },
    ]);
  });
  afterAll(() => server.close());
  const client = () => new InjectClient(server.app);
  const postRaw = (payload: string | Buffer | Readable, contentType = MULTIPART) =>
    server.app.inject({
      method: "POST",
      url: "/login",
      headers: { "content-type": contentType },
      payload,
    });

  describe("the form path, as with a urlencoded body", () => {
    it("a browser's form: 302 to /user_status with the session cookies", async () => {
      const c = client();
      const csrf = await c.formToken();
      const res = await c.post("/login", {
        multipart: formData(["csrf_token", csrf], ["username", "test"], ["password", "test"]),
      });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe("/user_status");
      expect(c.jar.get("access_token_cookie")).toBeDefined();
      expect(c.jar.get("refresh_token_cookie")).toBeDefined();
      const status = await c.get("/user_status");
      expect(status.json()).toMatchObject({ currentUser: "test", UserRoles: ["Admin", "default"] });
    });

    it("`curl -F username=test -F password=test` (no CSRF field, no cookie): 403 'form expired' page, exactly as the urlencoded form", async () => {
      const multipart = await client().post("/login", {
        multipart: formData(["username", "test"], ["password", "test"]),
      });
      const urlencoded = await client().post("/login", {
        form: { username: "test", password: "test" },
      });
      for (const res of [multipart, urlencoded]) {
        expect(res.statusCode).toBe(403);
        expect(res.headers["content-type"]).toBe("text/html; charset=utf-8");
        expect(res.body).toContain(`role="alert">${FORM_EXPIRED_HINT}`);
        const cookies = ([] as string[]).concat(res.headers["set-cookie"] ?? []);
        expect(cookies.some((line) => line.startsWith("access_token_cookie="))).toBe(false);
      }
    });

    it("wrong password: 403, the page with the hint and the username kept; its fresh field works", async () => {
      const c = client();
      const csrf = await c.formToken();
      const res = await c.post("/login", {
        multipart: formData(["csrf_token", csrf], ["username", "test"], ["password", "bad"]),
      });
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain(`role="alert">${WRONG_CREDENTIALS_HINT}`);
      expect(res.body).toContain('value="test"');
      expect(c.jar.get("access_token_cookie")).toBeUndefined();
      const again = /name="csrf_token" value="([^"]+)"/.exec(res.body)![1]!;
      const ok = await c.post("/login", {
        multipart: formData(["csrf_token", again], ["username", "test"], ["password", "test"]),
      });
      expect(ok.statusCode).toBe(302);
    });

    it.each([
      ["no password field", [["username", "test"]]],
      [
        "an empty password",
        [
          ["username", "test"],
          ["password", ""],
        ],
      ],
      [
        "a repeated username",
        [
          ["username", "test"],
          ["username", "alice"],
          ["password", "test"],
        ],
      ],
      [
        "a repeated password",
        [
          ["username", "test"],
          ["password", "test"],
          ["password", "test"],
        ],
      ],
      [
        "a password longer than 1024",
        [
          ["username", "test"],
          ["password", "x".repeat(1025)],
        ],
      ],
    ] as [string, [string, string][]][])(
      "%s: 403 with the hint, no login",
      async (_label, pairs) => {
        const c = client();
        const csrf = await c.formToken();
        const res = await c.post("/login", {
          multipart: formData(["csrf_token", csrf], ...pairs),
        });
        expect(res.statusCode).toBe(403);
        expect(res.body).toContain(`role="alert">${WRONG_CREDENTIALS_HINT}`);
        expect(c.jar.get("access_token_cookie")).toBeUndefined();
      },
    );

    it("a repeated or forged csrf_token: 403 'form expired', no login", async () => {
      const c = client();
      const csrf = await c.formToken();
      for (const tokens of [[csrf, csrf], ["1.AAAA"]]) {
        const res = await c.post("/login", {
          multipart: formData(
            ...tokens.map((t): [string, string] => ["csrf_token", t]),
            ["username", "test"],
            ["password", "test"],
          ),
        });
        expect(res.statusCode).toBe(403);
        expect(res.body).toContain(`role="alert">${FORM_EXPIRED_HINT}`);
      }
      expect(c.jar.get("access_token_cookie")).toBeUndefined();
    });

    it("an empty multipart form: 403 'form expired', as an empty urlencoded form", async () => {
      const res = await postRaw(END);
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain(`role="alert">${FORM_EXPIRED_HINT}`);
    });

    it("a hand-written body with CRLFs, no Content-Type per part and UTF-8 values logs in", async () => {
      const c = client();
      const csrf = await c.formToken();
      const res = await c.post("/login", {
        headers: { "content-type": MULTIPART },
        body: `${field("csrf_token", csrf)}${field("username", "test")}${field("password", "test")}${END}`,
      });
      expect(res.statusCode).toBe(302);
    });
  });

  describe("hostile multipart is refused before any password check", () => {
    it("a file part: 400 naming the problem, no login, nothing written to disk", async () => {
      const c = client();
      const csrf = await c.formToken();
      const tmp = await mkdtemp(join(tmpdir(), "tl-multipart-tmp-"));
      const saved = process.env.TMPDIR;
      process.env.TMPDIR = tmp;
      try {
        const upload = formData(["csrf_token", csrf], ["username", "test"]);
        upload.append("password", new Blob(["test"], { type: "text/plain" }), "password.txt");
        const res = await c.post("/login", { multipart: upload });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toEqual({ login: false, msg: FILE_REFUSED });
        expect(res.headers.connection).toBe("close");
        expect(c.jar.get("access_token_cookie")).toBeUndefined();
        expect(await readdir(tmp)).toEqual([]);
      } finally {
        if (saved === undefined) delete process.env.TMPDIR;
        else process.env.TMPDIR = saved;
        await rm(tmp, { recursive: true, force: true });
      }
    });

    it("an application/octet-stream part without a file name is a file too: 400", async () => {
      const res = await postRaw(
        `${field("username", "test")}${part(
          'Content-Disposition: form-data; name="password"\r\nContent-Type: application/octet-stream',
          "test",
        )}${END}`,
      );
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ login: false, msg: FILE_REFUSED });
    });

    it("more than 8 fields: 413", async () => {
      const pairs = Array.from({ length: 9 }, (_, i): [string, string] => [`f${i}`, "x"]);
      const res = await client().post("/login", { multipart: formData(...pairs) });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ login: false, msg: "the form has more than 8 fields" });
    });

    it("a field over 3072 bytes (the longest password in UTF-8, within body_limit): 413", async () => {
      const res = await client().post("/login", {
        multipart: formData(["username", "test"], ["password", "x".repeat(3073)]),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({
        login: false,
        msg: "a form field is larger than 3072 bytes",
      });
    });

    it("a body over [server] body_limit (16kb) with a Content-Length: 413 before reading it", async () => {
      const { body, contentType } = await multipartBody(
        formData(["a", "x".repeat(9000)], ["b", "x".repeat(9000)]),
      );
      expect(body.length).toBeGreaterThan(16 * 1024);
      const res = await postRaw(body, contentType);
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ login: false, msg: TOO_LARGE });
    });

    it("a body over body_limit without Content-Length, even an endless one: 413, no hang", async () => {
      const { body, contentType } = await multipartBody(
        formData(["a", "x".repeat(9000)], ["b", "x".repeat(9000)]),
      );
      const chunked = await postRaw(
        Readable.from([body.subarray(0, 9000), body.subarray(9000)]),
        contentType,
      );
      expect(chunked.statusCode).toBe(413);
      expect(chunked.json()).toEqual({ login: false, msg: TOO_LARGE });

      // A preamble that never ends: nothing would ever stop the multipart parser but the limit.
      const endless = Readable.from(
        (function* () {
          for (;;) yield Buffer.alloc(1024, "x");
        })(),
      );
      const res = await postRaw(endless);
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ login: false, msg: TOO_LARGE });
      expect(res.headers.connection).toBe("close");
      endless.destroy();
    });

    it.each([
      ["no boundary", "multipart/form-data", `${field("username", "test")}${END}`],
      ["a body cut off before its end", MULTIPART, field("username", "test")],
      ["garbage", MULTIPART, `--${BOUNDARY}\r\nno headers here`],
      ["a __proto__ field", MULTIPART, `${field("__proto__", "x")}${END}`],
      [
        "a part without a field name",
        MULTIPART,
        `${part("Content-Disposition: form-data", "x")}${END}`,
      ],
    ])("malformed multipart (%s): 400 {login: false}, never 500", async (_label, type, body) => {
      const res = await postRaw(body, type);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ login: false });
      expect(res.json().msg).toMatch(/^the multipart\/form-data body is malformed: /);
    });
  });

  describe("only POST /login takes multipart", () => {
    // (/logout and /refresh take any body and ignore it: login-session-bodies.test.ts.)
    it.each(["/token/gettoken", "/add/bogus"])(
      "POST %s still refuses it with its own 400",
      async (url) => {
        const { body, contentType } = await multipartBody(
          formData(["username", "test"], ["password", "test"]),
        );
        const res = await server.app.inject({
          method: "POST",
          url,
          headers: { "content-type": contentType },
          payload: body,
        });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: "BAD_REQUEST", message: MUST_BE_JSON });
      },
    );

    it("the admin API refuses it from a signed-in admin too", async () => {
      const browser = client();
      expect((await browser.login("boss", "boss-password-1")).statusCode).toBe(200);
      const { body, contentType } = await multipartBody(
        formData(["username", "someone"], ["password", "some-password-1"]),
      );
      const res = await server.app.inject({
        method: "POST",
        url: "/add/user",
        headers: {
          "content-type": contentType,
          "x-auth-token": browser.jar.get("access_token_cookie")!.value,
        },
        payload: body,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: "BAD_REQUEST", message: MUST_BE_JSON });
    });

    it("a Content-Type nobody parses is still 415 on /login, naming multipart as accepted", async () => {
      const res = await postRaw("<login/>", "application/xml");
      expect(res.statusCode).toBe(415);
      expect(res.json()).toEqual({
        login: false,
        msg: "send JSON (Content-Type: application/json) or a form (application/x-www-form-urlencoded or multipart/form-data)",
      });
    });
  });
});

describeEachProvider("cookie login: multipart forms count against the rate limit", (ctx) => {
  let server: LoginTestServer;
  beforeAll(async () => {
    server = await createLoginTestServer({
      db: ctx.db,
      usersYaml: SAMPLE_USERS_YAML,
      guessing: "settings",
      ini: { login: { max_failures_per_account: "2", max_failures_per_source: "2" } },
    });
  });
  afterAll(() => server.close());

  it("after the failures are used up: 429, the page with its hint and Retry-After", async () => {
    const c = new InjectClient(server.app);
    const attempt = async (password: string) =>
      c.post("/login", {
        multipart: formData(
          ["csrf_token", await c.formToken()],
          ["username", "test"],
          ["password", password],
        ),
      });
    expect((await attempt("bad")).statusCode).toBe(403);
    expect((await attempt("bad")).statusCode).toBe(403);
    const limited = await attempt("test");
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(limited.body).toContain(TOO_MANY_ATTEMPTS_HINT);
    expect(limited.headers["retry-after"]).toBeDefined();
    expect(c.jar.get("access_token_cookie")).toBeUndefined();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeEachProvider } from "../helpers/test-databases.js";
import {
  createLoginTestServer,
  formData,
  InjectClient,
  type LoginTestServer,
  multipartBody,
  SAMPLE_USERS_YAML,
} from "./login-test-server.js";

// POST /logout and POST /refresh take no body, but browsers send one anyway:
// fetch(url, {method: "POST", body: ""}) and navigator.sendBeacon(url, "x") send text/plain, a
// form sends multipart. Whatever comes is ignored (a refused logout would keep the session
// alive); only [server] body_limit (16kb here) still applies. POST /login is unaffected.

interface RawBody {
  contentType: string | undefined;
  body: string | Buffer;
}

const multipart = async (): Promise<RawBody> => {
  const { body, contentType } = await multipartBody(formData(["reason", "bye"]));
  return { contentType, body };
};

const BODIES: [string, () => Promise<RawBody> | RawBody][] = [
  ["an empty text/plain body (fetch with body: '')", () => textPlain("")],
  ["a text/plain body (sendBeacon)", () => textPlain("x")],
  ["a multipart/form-data body", multipart],
  ["a body without Content-Type", () => ({ contentType: undefined, body: "whatever" })],
  ["a body of a type nobody parses", () => ({ contentType: "application/xml", body: "<a/>" })],
  ["a malformed JSON body", () => ({ contentType: "application/json", body: "{not json" })],
];

function textPlain(body: string): RawBody {
  return { contentType: "text/plain;charset=UTF-8", body };
}

describeEachProvider("cookie login: /logout and /refresh ignore any body", (ctx) => {
  let server: LoginTestServer;
  beforeAll(async () => {
    server = await createLoginTestServer({ db: ctx.db, usersYaml: SAMPLE_USERS_YAML });
  });
  afterAll(() => server.close());

  async function loggedIn() {
    const c = new InjectClient(server.app);
    expect((await c.login("alice", "alice-pw")).statusCode).toBe(200);
    return c;
  }

  const post = (
    c: InjectClient,
    url: "/logout" | "/refresh",
    raw: RawBody,
    csrf?: "access" | "refresh",
  ) =>
    c.post(url, {
      body: raw.body,
      headers: raw.contentType === undefined ? {} : { "content-type": raw.contentType },
      ...(csrf ? { csrf } : {}),
    });

  describe.each(BODIES)("%s", (_label, makeBody) => {
    it("POST /logout: 200 {logout: true} and the session has ended", async () => {
      const c = await loggedIn();
      const before = c.jar.clone();
      const res = await post(c, "/logout", await makeBody(), "access");
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ logout: true });
      const replay = new InjectClient(server.app);
      Object.assign(replay, { jar: before });
      const status = await replay.get("/user_status");
      expect(status.statusCode).toBe(401);
      expect(status.json().code).toBe("SESSION_ENDED");
    });

    it("POST /refresh: 200 {refresh: true}, new tokens", async () => {
      const c = await loggedIn();
      const oldRefresh = c.jar.get("refresh_token_cookie")!.value;
      const res = await post(c, "/refresh", await makeBody(), "refresh");
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ refresh: true });
      expect(c.jar.get("refresh_token_cookie")!.value).not.toBe(oldRefresh);
      expect((await c.get("/user_status")).statusCode).toBe(200);
    });
  });

  describe("the CSRF check still applies", () => {
    it.each(["/logout", "/refresh"] as const)(
      "POST %s with a text/plain body but no CSRF header: 401, still logged in",
      async (url) => {
        const c = await loggedIn();
        const res = await post(c, url, textPlain("x"));
        expect(res.statusCode).toBe(401);
        expect(res.json()).toEqual({ msg: "Missing CSRF token", code: "CSRF_MISSING" });
        expect((await c.get("/user_status")).statusCode).toBe(200);
      },
    );
  });

  describe("the body limit still applies", () => {
    it.each(["/logout", "/refresh"] as const)(
      "POST %s with a body over [server] body_limit: 413, still logged in",
      async (url) => {
        const c = await loggedIn();
        const res = await post(
          c,
          url,
          textPlain("x".repeat(17 * 1024)),
          url === "/logout" ? "access" : "refresh",
        );
        expect(res.statusCode).toBe(413);
        expect(res.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
        expect((await c.get("/user_status")).statusCode).toBe(200);
      },
    );
  });

  describe("POST /login is unchanged", () => {
    it("a text/plain body: 415 {login: false}", async () => {
      const res = await server.app.inject({
        method: "POST",
        url: "/login",
        headers: { "content-type": "text/plain" },
        payload: JSON.stringify({ username: "alice", password: "alice-pw" }),
      });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toMatchObject({ login: false });
    });
  });
});

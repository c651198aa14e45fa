import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../helpers/test-databases.js";
import {
  createLoginTestServer,
  InjectClient,
  type LoginTestServer,
  SAMPLE_USERS_YAML,
} from "./login-test-server.js";

// POST /login failure limit: `[login] rate_limit_per_minute` failed attempts per client address
// per minute (successful logins do not count), then 429 until the minute is over; 0 disables it.

describeEachProvider(
  "cookie login: failed-attempt limit from [login] rate_limit_per_minute",
  (ctx) => {
    let clock = Date.parse("2030-01-01T00:00:00Z");
    const now = () => clock;
    const servers: LoginTestServer[] = [];
    const start = async (ini?: Record<string, string>) => {
      const server = await createLoginTestServer({
        db: ctx.db,
        usersYaml: SAMPLE_USERS_YAML,
        // What the production plugin passes: the limit comes from the settings.
        rateLimit: "settings",
        now,
        ...(ini ? { ini: { login: ini } } : {}),
      });
      servers.push(server);
      return server;
    };
    let byDefault: LoginTestServer;
    let two: LoginTestServer;
    let off: LoginTestServer;
    beforeAll(async () => {
      byDefault = await start();
      two = await start({ rate_limit_per_minute: "2" });
      off = await start({ rate_limit_per_minute: "0" });
    });
    afterAll(() => Promise.all(servers.map((s) => s.close())));

    const statuses = async (server: LoginTestServer, n: number, password: string) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        out.push((await new InjectClient(server.app).login("alice", password)).statusCode);
      }
      return out;
    };

    it("default 10: successes are free, the 11th failure is a 429 JSON refusal, even with the right password, until the minute ends", async () => {
      expect(byDefault.settings.login.rateLimitPerMinute).toBe(10);
      // Logging in often uses up nothing.
      expect(await statuses(byDefault, 12, "alice-pw")).toEqual(Array(12).fill(200));
      expect(await statuses(byDefault, 10, "guess")).toEqual(Array(10).fill(403));

      const limited = await new InjectClient(byDefault.app).login("alice", "alice-pw");
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toEqual({
        login: false,
        msg: "too many failed login attempts from this address; try again in 60 s",
      });
      expect(limited.headers["retry-after"]).toBe("60");
      expect(limited.headers["set-cookie"]).toBeUndefined();

      clock += 30_000;
      const later = await new InjectClient(byDefault.app).login("alice", "guess");
      expect(later.statusCode).toBe(429);
      expect(later.headers["retry-after"]).toBe("30");

      clock += 30_000;
      expect((await new InjectClient(byDefault.app).login("alice", "alice-pw")).statusCode).toBe(
        200,
      );
    });

    it("rate_limit_per_minute = 2 limits after two failures, for JSON and for the form", async () => {
      expect(await statuses(two, 2, "guess")).toEqual([403, 403]);
      const json = await new InjectClient(two.app).login("test", "test");
      expect(json.statusCode).toBe(429);
      expect(json.json()).toMatchObject({ login: false });

      const browser = new InjectClient(two.app);
      const csrf = await browser.formToken();
      const form = await browser.post("/login", {
        form: { csrf_token: csrf, username: "alice", password: "alice-pw" },
      });
      expect(form.statusCode).toBe(429);
      // A person gets the login page again, with a hint saying why.
      expect(form.headers["content-type"]).toMatch(/^text\/html/);
      expect(form.headers["retry-after"]).toMatch(/^\d+$/);
      expect(form.body).toContain("Too many failed attempts");
    });

    it("behind a trusted proxy (trust_proxy = its address) a forged X-Forwarded-For does not dodge the limit", async () => {
      const proxied = await createLoginTestServer({
        db: ctx.db,
        usersYaml: SAMPLE_USERS_YAML,
        rateLimit: "settings",
        now,
        // app.inject() requests come from 127.0.0.1: the proxy.
        ini: { server: { trust_proxy: "127.0.0.1" }, login: { rate_limit_per_minute: "2" } },
      });
      servers.push(proxied);
      expect(proxied.settings.server.trustProxy).toEqual(["127.0.0.1"]);
      // The proxy appends the address it saw; the client makes up a new first entry every time.
      const attempt = (forged: string, client: string, password = "guess") =>
        new InjectClient(proxied.app).post("/login", {
          json: { username: "alice", password },
          headers: { "x-forwarded-for": `${forged}, ${client}` },
        });
      expect((await attempt("10.0.0.1", "203.0.113.7")).statusCode).toBe(403);
      expect((await attempt("10.0.0.2", "203.0.113.7")).statusCode).toBe(403);
      expect((await attempt("10.0.0.3", "203.0.113.7", "alice-pw")).statusCode).toBe(429);
      // Another client behind the same proxy is not affected.
      expect((await attempt("10.0.0.3", "198.51.100.9", "alice-pw")).statusCode).toBe(200);
    });

    it("rate_limit_per_minute = 0 disables the limit", async () => {
      expect(off.settings.login.rateLimitPerMinute).toBe(0);
      expect(await statuses(off, 15, "guess")).toEqual(Array(15).fill(403));
      expect((await new InjectClient(off.app).login("alice", "alice-pw")).statusCode).toBe(200);
    });
  },
);

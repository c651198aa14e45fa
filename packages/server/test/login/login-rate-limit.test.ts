import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../helpers/test-databases.js";
import {
  createLoginTestServer,
  InjectClient,
  type LoginTestServer,
  SAMPLE_USERS_YAML,
} from "./login-test-server.js";

// How POST /login answers when the guessing policy refuses (the policy itself:
// test/guessing/): a 429 JSON refusal for programs, the login page with a hint for people,
// with the production defaults from the settings.

describeEachProvider("cookie login: refusals of the guessing policy", (ctx) => {
  let clock = Date.parse("2030-01-01T00:00:00Z");
  const now = () => clock;
  const servers: LoginTestServer[] = [];
  const start = async (ini?: Record<string, Record<string, string>>) => {
    const server = await createLoginTestServer({
      db: ctx.db,
      usersYaml: SAMPLE_USERS_YAML,
      guessing: "settings",
      now,
      ...(ini ? { ini } : {}),
    });
    servers.push(server);
    return server;
  };
  let byDefault: LoginTestServer;
  let off: LoginTestServer;
  beforeAll(async () => {
    byDefault = await start();
    off = await start({ login: { max_failures_per_account: "0", max_failures_per_source: "0" } });
  });
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  const statuses = async (server: LoginTestServer, n: number, password: string) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      out.push((await new InjectClient(server.app).login("alice", password)).statusCode);
    }
    return out;
  };

  it("defaults: successes are free, the 6th failure for an account is a 429 JSON refusal, even with the right password, for 5 minutes", async () => {
    expect(byDefault.settings.login.guessing.maxFailuresPerAccount).toBe(5);
    // Logging in often uses up nothing.
    expect(await statuses(byDefault, 12, "alice-pw")).toEqual(Array(12).fill(200));
    // app.inject() comes from 127.0.0.1, which alice just logged in from: it is trusted for
    // her, so these guesses count on their own (account, address) limit, also 5.
    expect(await statuses(byDefault, 5, "guess")).toEqual(Array(5).fill(403));

    const limited = await new InjectClient(byDefault.app).login("alice", "alice-pw");
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({
      login: false,
      msg: "too many failed login attempts; try again in 300 s",
    });
    expect(limited.headers["retry-after"]).toBe("300");
    expect(limited.headers["set-cookie"]).toBeUndefined();

    clock += 120_000;
    const later = await new InjectClient(byDefault.app).login("alice", "guess");
    expect(later.statusCode).toBe(429);
    expect(later.headers["retry-after"]).toBe("180");

    clock += 180_000;
    expect((await new InjectClient(byDefault.app).login("alice", "alice-pw")).statusCode).toBe(200);
  });

  it("the form gets the login page again with a hint and Retry-After", async () => {
    for (let i = 0; i < 5; i++) await new InjectClient(byDefault.app).login("test", "guess");
    const browser = new InjectClient(byDefault.app);
    const csrf = await browser.formToken();
    const form = await browser.post("/login", {
      form: { csrf_token: csrf, username: "test", password: "test" },
    });
    expect(form.statusCode).toBe(429);
    expect(form.headers["content-type"]).toMatch(/^text\/html/);
    expect(form.headers["retry-after"]).toMatch(/^\d+$/);
    expect(form.body).toContain("Too many failed attempts");
  });

  it("behind a trusted proxy (trust_proxy = its address) a forged X-Forwarded-For does not dodge the per-address limit", async () => {
    const proxied = await start({
      server: { trust_proxy: "127.0.0.1" },
      login: { max_failures_per_account: "0", max_failures_per_source: "2" },
    });
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

  it("both bounds 0 switch the policy off", async () => {
    expect(await statuses(off, 15, "guess")).toEqual(Array(15).fill(403));
    expect((await new InjectClient(off.app).login("alice", "alice-pw")).statusCode).toBe(200);
  });
});

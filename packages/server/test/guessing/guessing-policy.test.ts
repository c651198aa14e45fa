import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../helpers/test-databases.js";
import { seedUsers } from "../helpers/test-server.js";
import {
  createLoginTestServer,
  type LoginTestServer,
  SAMPLE_USERS_YAML,
} from "../login/login-test-server.js";

// The guessing policy (issue 12, point 1) as a client sees it: one limit for /token/gettoken
// and POST /login, database and users.yaml users, kept in the database. Each test uses its own
// usernames and addresses, since the counters live in the suite's shared database.

const LIMITS = {
  max_failures_per_account: "5",
  max_failures_per_source: "12",
  failure_window: "60",
  lockout_duration: "300",
  trusted_source_days: "30",
};

describeEachProvider("guessing policy: one limit for every password check", (ctx) => {
  let clock = Date.parse("2031-05-01T08:00:00Z");
  const now = () => clock;
  let server: LoginTestServer;
  const start = () =>
    createLoginTestServer({
      db: ctx.db,
      usersYaml: SAMPLE_USERS_YAML,
      guessing: "settings",
      ini: { login: LIMITS },
      now,
    });
  beforeAll(async () => {
    server = await start();
    await seedUsers(
      server.adminService,
      [
        "victim",
        "gettoken-user",
        "login-user",
        "shared-user",
        "restart-user",
        "home-user",
        "other-user",
        "nat-user",
      ].map((username) => ({ username, password: `${username}-password` })),
    );
  });
  afterAll(() => server.close());

  const gettoken = (username: string, password: string, from: string, app = server.app) =>
    app.inject({
      method: "POST",
      url: "/token/gettoken",
      payload: { username, password },
      remoteAddress: from,
    });
  const login = (username: string, password: string, from: string, app = server.app) =>
    app.inject({
      method: "POST",
      url: "/login",
      payload: { username, password },
      remoteAddress: from,
    });
  const tally = (statuses: number[]) =>
    statuses.reduce<Record<number, number>>((counts, status) => {
      counts[status] = (counts[status] ?? 0) + 1;
      return counts;
    }, {});

  it("50 parallel wrong passwords through /token/gettoken: only 5 are checked, the rest get 429", async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        gettoken("gettoken-user", `guess-${i}`, `10.1.0.${i + 1}`),
      ),
    );
    expect(tally(answers.map((a) => a.statusCode))).toEqual({ 401: 5, 429: 45 });
    // Refused while the five checks run (until the window ends) or after (the lockout).
    const limited = answers.find((a) => a.statusCode === 429)!;
    const wait = limited.headers["retry-after"];
    expect(["60", "300"]).toContain(wait);
    expect(limited.json()).toEqual({
      status: "Too Many Attempts",
      message: `too many failed login attempts; try again in ${wait} s`,
    });
    // Locked now: the right password is refused too, for lockout_duration.
    const right = await gettoken("gettoken-user", "gettoken-user-password", "10.1.1.1");
    expect(right.statusCode).toBe(429);
    expect(right.headers["retry-after"]).toBe("300");
  });

  it("50 parallel wrong passwords through POST /login: only 5 are checked, the rest get 429", async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => login("login-user", `guess-${i}`, `10.2.0.${i + 1}`)),
    );
    expect(tally(answers.map((a) => a.statusCode))).toEqual({ 403: 5, 429: 45 });
    const limited = answers.find((a) => a.statusCode === 429)!;
    expect(limited.headers["retry-after"]).toMatch(/^\d+$/);
    expect(limited.json()).toMatchObject({ login: false });
  });

  it("users.yaml users are limited alike, and the 429 of an unknown user looks the same", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await login("alice", "nope", "10.3.0.1")).statusCode);
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
    for (let i = 0; i < 5; i++) await login("nobody-here", "nope", "10.3.0.2");
    const known = await login("alice", "alice-pw", "10.3.0.3");
    const unknown = await login("nobody-here", "nope", "10.3.0.4");
    expect(unknown.statusCode).toBe(429);
    expect(unknown.body).toBe(known.body);
    expect(unknown.headers["retry-after"]).toBe(known.headers["retry-after"]);
  });

  it("/token/gettoken and /login count into the same limit", async () => {
    for (let i = 0; i < 3; i++) {
      expect((await gettoken("shared-user", "nope", "10.4.0.1")).statusCode).toBe(401);
    }
    for (let i = 0; i < 2; i++) {
      expect((await login("shared-user", "nope", "10.4.0.2")).statusCode).toBe(403);
    }
    expect((await login("shared-user", "shared-user-password", "10.4.0.3")).statusCode).toBe(429);
    expect((await gettoken("shared-user", "shared-user-password", "10.4.0.3")).statusCode).toBe(
      429,
    );
  });

  it("failures from one address do not stop another user at another address", async () => {
    // One address guesses many accounts (one each, so no account locks) until its own bound.
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) {
      statuses.push((await gettoken(`sprayed-${i}`, "nope", "198.51.100.66")).statusCode);
    }
    expect(statuses.slice(0, 12)).toEqual(Array(12).fill(401));
    expect(statuses[12]).toBe(429);
    expect((await gettoken("other-user", "other-user-password", "198.51.100.66")).statusCode).toBe(
      429,
    );
    expect((await gettoken("other-user", "other-user-password", "198.51.100.67")).statusCode).toBe(
      201,
    );
  });

  it("an attacker cannot lock a victim out of an address the victim logged in from lately", async () => {
    expect((await login("victim", "victim-password", "192.0.2.10")).statusCode).toBe(200);
    // Guesses from anywhere else lock the account…
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => gettoken("victim", `guess-${i}`, `203.0.113.${i + 1}`)),
    );
    expect((await gettoken("victim", "victim-password", "203.0.113.99")).statusCode).toBe(429);
    // …but not from the victim's own address, through either route.
    expect((await gettoken("victim", "victim-password", "192.0.2.10")).statusCode).toBe(201);
    expect((await login("victim", "victim-password", "192.0.2.10")).statusCode).toBe(200);
  });

  it("a trusted address still has a limit of its own for that account", async () => {
    expect((await login("home-user", "home-user-password", "192.0.2.20")).statusCode).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await login("home-user", "nope", "192.0.2.20")).statusCode);
    }
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
  });

  it("one address behind which people share (NAT) can lock only itself, and a user trusted there is not stopped", async () => {
    expect((await login("nat-user", "nat-user-password", "192.0.2.30")).statusCode).toBe(200);
    for (let i = 0; i < 12; i++) await gettoken(`nat-spray-${i}`, "nope", "192.0.2.30");
    expect((await gettoken("nat-new-user", "nope", "192.0.2.30")).statusCode).toBe(429);
    expect((await login("nat-user", "nat-user-password", "192.0.2.30")).statusCode).toBe(200);
  });

  it("a restart keeps the count (it is in the database), and the lock ends after lockout_duration", async () => {
    for (let i = 0; i < 5; i++) await gettoken("restart-user", "nope", "10.6.0.1");
    await server.close();
    server = await start();
    const after = await gettoken("restart-user", "restart-user-password", "10.6.0.2");
    expect(after.statusCode).toBe(429);
    expect(after.headers["retry-after"]).toBe("300");
    clock += 299_000;
    expect((await gettoken("restart-user", "restart-user-password", "10.6.0.2")).statusCode).toBe(
      429,
    );
    clock += 1_000;
    expect((await gettoken("restart-user", "restart-user-password", "10.6.0.2")).statusCode).toBe(
      201,
    );
  });

  it("successes use up nothing, and failures are forgotten after failure_window", async () => {
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) {
        expect((await login("test", "nope", "10.7.0.1")).statusCode).toBe(403);
      }
      expect((await login("test", "test", "10.7.0.1")).statusCode).toBe(200);
      clock += 61_000;
    }
  });
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginRoutesPlugin } from "../../src/login/index.js";
import {
  createTestDatabase,
  describeEachProvider,
  type TestDatabase,
} from "../helpers/test-databases.js";
import { createTestServer, seedUsers, type TestServer } from "../helpers/test-server.js";
import { parsePrometheusText, type Sample, sampleValue } from "./prometheus-text.js";

// GET /metrics as Prometheus reads it, after real logins and verifications, on both providers;
// and who may read it. The registry is the process's, shared by every app of this file: the
// counter checks compare before and after.

async function scrape(server: TestServer, headers: Record<string, string> = {}): Promise<Sample[]> {
  const res = await server.app.inject({ method: "GET", url: "/metrics", headers });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(res.body).samples;
}

describeEachProvider("GET /metrics", (ctx) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await createTestServer({
      db: ctx.db,
      plugins: [loginRoutesPlugin],
      guessing: "settings",
      ini: { login: { max_failures_per_account: "2", cookie_secure: "false" } },
    });
    await seedUsers(server.adminService, [
      { username: "metrics-user", password: "metrics-password" },
      { username: "locked-user", password: "locked-password" },
    ]);
  });
  afterAll(async () => {
    await server?.close();
  });

  const getToken = (username: string, password: string) =>
    server.app.inject({
      method: "POST",
      url: "/token/gettoken",
      payload: { username, password },
    });
  const verify = (token: string | null) =>
    server.app.inject({
      method: "GET",
      url: "/token/verify_token",
      headers: token === null ? {} : { "x-auth-token": token },
    });

  it("counts logins, tokens, verifications, password checks and cache lookups", async () => {
    const before = await scrape(server);
    const ok = await getToken("metrics-user", "metrics-password");
    expect(ok.statusCode).toBe(201);
    const token = ok.json().auth_token as string;
    expect((await getToken("metrics-user", "wrong-password")).statusCode).toBe(401);
    for (let i = 0; i < 2; i++) await getToken("locked-user", "wrong-password");
    expect((await getToken("locked-user", "locked-password")).statusCode).toBe(429);
    expect((await verify(token)).statusCode).toBe(200);
    expect((await verify(token)).statusCode).toBe(200);
    expect((await verify(`${token.slice(0, -4)}AAAA`)).statusCode).toBe(401);
    expect((await verify(null)).statusCode).toBe(401);
    const login = await server.app.inject({
      method: "POST",
      url: "/login",
      payload: { username: "metrics-user", password: "metrics-password" },
    });
    expect(login.statusCode).toBe(200);
    const after = await scrape(server);

    const delta = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(delta("tokenleader_logins_total", { endpoint: "gettoken", outcome: "success" })).toBe(1);
    expect(delta("tokenleader_logins_total", { endpoint: "gettoken", outcome: "failure" })).toBe(3);
    expect(delta("tokenleader_logins_total", { endpoint: "gettoken", outcome: "limited" })).toBe(1);
    expect(delta("tokenleader_logins_total", { endpoint: "login", outcome: "success" })).toBe(1);
    expect(delta("tokenleader_tokens_issued_total", { kind: "bearer" })).toBe(1);
    expect(delta("tokenleader_tokens_issued_total", { kind: "access" })).toBe(1);
    expect(delta("tokenleader_tokens_issued_total", { kind: "refresh" })).toBe(1);
    expect(delta("tokenleader_token_verifications_accepted_total")).toBe(2);
    expect(
      delta("tokenleader_token_verifications_refused_total", { reason: "bad_signature" }),
    ).toBe(1);
    expect(
      delta("tokenleader_token_verifications_refused_total", { reason: "missing_token" }),
    ).toBe(1);
    // Four checked passwords (the limited attempt is refused before its check), one of them at login.
    expect(delta("tokenleader_password_hash_duration_seconds_count", { operation: "verify" })).toBe(
      5,
    );
    expect(
      delta("tokenleader_password_hash_duration_seconds_sum", { operation: "verify" }),
    ).toBeGreaterThan(0);
    // The second verification of the same token found its user's state cached.
    expect(
      delta("tokenleader_cache_lookups_total", { cache: "bearer_user", result: "hit" }),
    ).toBeGreaterThanOrEqual(1);
    expect(
      delta("tokenleader_cache_lookups_total", { cache: "bearer_user", result: "miss" }),
    ).toBeGreaterThanOrEqual(1);
  });

  it("counts requests by route pattern and status, never by raw URL", async () => {
    const before = await scrape(server);
    await server.app.inject({ method: "GET", url: "/no/such/place-qzxv" });
    await server.app.inject({ method: "GET", url: "/healthz?probe=qzxw" });
    const res = await server.app.inject({ method: "GET", url: "/metrics" });
    expect(res.body).not.toMatch(/qzx/);
    const after = parsePrometheusText(res.body).samples;
    const delta = (name: string, labels: Record<string, string>) =>
      sampleValue(after, name, labels) - sampleValue(before, name, labels);
    expect(
      delta("tokenleader_http_requests_total", {
        method: "GET",
        route: "(unmatched)",
        status: "404",
      }),
    ).toBe(1);
    expect(
      delta("tokenleader_http_requests_total", { method: "GET", route: "/healthz", status: "200" }),
    ).toBe(1);
    expect(
      delta("tokenleader_http_request_duration_seconds_count", {
        method: "GET",
        route: "/healthz",
      }),
    ).toBe(1);
    expect(
      sampleValue(after, "tokenleader_http_request_duration_seconds_bucket", {
        route: "/healthz",
        le: "+Inf",
      }),
    ).toBe(
      sampleValue(after, "tokenleader_http_request_duration_seconds_count", { route: "/healthz" }),
    );
  });

  it("reports the database: the PostgreSQL pool, or only the provider on SQLite", async () => {
    const samples = await scrape(server);
    expect(
      sampleValue(samples, "tokenleader_database_info", { provider: ctx.provider }),
    ).toBeGreaterThanOrEqual(1);
    const total = samples.filter(
      (s) => s.name === "tokenleader_db_pool_connections" && s.labels.state === "total",
    );
    if (ctx.provider === "postgresql") {
      expect(total).toHaveLength(1);
      expect(total[0]?.value).toBeGreaterThanOrEqual(1);
      expect(samples.some((s) => s.name === "tokenleader_db_pool_waiting_requests")).toBe(true);
    } else {
      expect(total).toEqual([]);
    }
  });

  it("includes the process metrics", async () => {
    const samples = await scrape(server);
    expect(sampleValue(samples, "tokenleader_process_resident_memory_bytes")).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === "tokenleader_nodejs_eventloop_lag_p99_seconds")).toBe(
      true,
    );
  });
});

describe("GET /metrics access", () => {
  let database: TestDatabase;
  let scratch: string;
  const servers: TestServer[] = [];
  const serverWith = async (metrics: Record<string, string>) => {
    const created = await createTestServer({ db: database.db, ini: { metrics } });
    servers.push(created);
    return created;
  };

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    scratch = await mkdtemp(join(tmpdir(), "tl-metrics-"));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await database?.cleanup();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("is open to this host only by default: 403 naming the setting for others", async () => {
    const server = await serverWith({});
    const local = await server.app.inject({ method: "GET", url: "/metrics", remoteAddress: "::1" });
    expect(local.statusCode).toBe(200);
    const remote = await server.app.inject({
      method: "GET",
      url: "/metrics",
      remoteAddress: "10.1.2.3",
    });
    expect(remote.statusCode).toBe(403);
    expect(remote.json()).toMatchObject({
      code: "FORBIDDEN",
      message: "/metrics is not open to 10.1.2.3: add the address to [metrics] allow",
    });
    expect(remote.body).not.toMatch(/tokenleader_/);
  });

  it("refuses a request that came through an untrusted proxy, though the proxy is local", async () => {
    const server = await serverWith({});
    const res = await server.app.inject({
      method: "GET",
      url: "/metrics",
      remoteAddress: "127.0.0.1",
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    expect(res.statusCode).toBe(403);
  });

  it("lets in the listed ranges", async () => {
    const server = await serverWith({ allow: "10.0.0.0/8" });
    const inRange = await server.app.inject({
      method: "GET",
      url: "/metrics",
      remoteAddress: "10.9.8.7",
    });
    expect(inRange.statusCode).toBe(200);
    const local = await server.app.inject({
      method: "GET",
      url: "/metrics",
      remoteAddress: "127.0.0.1",
    });
    expect(local.statusCode).toBe(403);
  });

  it("asks for the bearer token of token_file: 401 without it or with another", async () => {
    const tokenFile = join(scratch, "metrics.token");
    await writeFile(tokenFile, "s3cret-metrics-token-0123456789\n");
    const guarded = await serverWith({ allow: "any", token_file: tokenFile });
    const none = await guarded.app.inject({
      method: "GET",
      url: "/metrics",
      remoteAddress: "198.51.100.7",
    });
    expect(none.statusCode).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="metrics"');
    expect(none.json().message).toMatch(/needs the bearer token of \[metrics\] token_file/);
    const wrong = await guarded.app.inject({
      method: "GET",
      url: "/metrics",
      remoteAddress: "198.51.100.7",
      headers: { authorization: "Bearer s3cret-metrics-token-0123456780" },
    });
    expect(wrong.statusCode).toBe(401);
    const right = await guarded.app.inject({
      method: "GET",
      url: "/metrics",
      remoteAddress: "198.51.100.7",
      headers: { authorization: "Bearer s3cret-metrics-token-0123456789" },
    });
    expect(right.statusCode).toBe(200);
    expect(right.body).toMatch(/^# HELP tokenleader_/m);
  });

  it("stops the start with a line naming a missing or weak token file", async () => {
    await expect(serverWith({ token_file: "/nonexistent/metrics.token" })).rejects.toThrow(
      "[metrics] token_file /nonexistent/metrics.token: does not exist; make it, e.g. openssl rand -hex 32 > /nonexistent/metrics.token",
    );
    const weak = join(scratch, "weak.token");
    await writeFile(weak, "short\n");
    await expect(serverWith({ token_file: weak })).rejects.toThrow(
      /holds a token shorter than 16 characters/,
    );
  });

  it("has no route when switched off", async () => {
    const server = await serverWith({ enabled: "false" });
    const res = await server.app.inject({ method: "GET", url: "/metrics" });
    expect(res.statusCode).toBe(404);
  });
});

import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/test-databases.js";
import { createTestServer, seedUsers, type TestServer } from "./helpers/test-server.js";

// GET /token/verify_token remembers tokens whose signature and claims it has checked (issue 15):
// what it remembers must never outlive a revocation or the token's exp. And its request logging
// is one line per request, or none with `[server] access_log = no`, while rejections are still
// logged.

describe("verify_token's fast path", () => {
  let database: TestDatabase;
  let server: TestServer;
  let quiet: TestServer;
  let clockMs = Date.now();
  const lines: Record<string, unknown>[] = [];
  const quietLines: Record<string, unknown>[] = [];
  const loggerInto = (into: Record<string, unknown>[]) =>
    pino({ level: "info" }, { write: (line: string) => void into.push(JSON.parse(line)) });

  beforeAll(async () => {
    database = await createTestDatabase("sqlite");
    server = await createTestServer({
      db: database.db,
      logger: loggerInto(lines),
      now: () => clockMs,
      ini: { token: { lifetime_seconds: "600" } },
    });
    quiet = await createTestServer({
      db: database.db,
      logger: loggerInto(quietLines),
      ini: { server: { access_log: "no" } },
    });
    await seedUsers(server.adminService, [
      { username: "user1", password: "password-one-1" },
      { username: "user2", password: "password-two-2" },
    ]);
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await quiet?.close();
    await database?.cleanup();
  });

  async function tokenOf(target: TestServer, username: string, password: string) {
    const res = await target.app.inject({
      method: "POST",
      url: "/token/gettoken",
      payload: { username, password },
    });
    expect(res.statusCode).toBe(201);
    return res.json().auth_token as string;
  }
  const verify = (target: TestServer, token: string) =>
    target.app.inject({
      method: "GET",
      url: "/token/verify_token",
      headers: { "x-auth-token": token },
    });

  it("refuses a token revoked after it was verified and remembered", async () => {
    const token = await tokenOf(server, "user1", "password-one-1");
    for (let i = 0; i < 3; i++) expect((await verify(server, token)).statusCode).toBe(200);
    await server.adminService.revokeUserTokens("user1");
    const after = await verify(server, token);
    expect(after.statusCode).toBe(401);
    expect(after.json().status).toBe("Invalid token");
  });

  it("reports a remembered token as expired once its exp has passed", async () => {
    const token = await tokenOf(server, "user2", "password-two-2");
    expect((await verify(server, token)).statusCode).toBe(200);
    clockMs += 601_000;
    try {
      const res = await verify(server, token);
      expect(res.statusCode).toBe(401);
      expect(res.json().status).toBe("Signature expired");
    } finally {
      clockMs -= 601_000;
    }
  });

  it("still refuses a token with one changed signature byte after the good one was remembered", async () => {
    const token = await tokenOf(server, "user2", "password-two-2");
    expect((await verify(server, token)).statusCode).toBe(200);
    const last = token.at(-2) === "A" ? "B" : "A";
    const forged = `${token.slice(0, -2)}${last}${token.at(-1)}`;
    expect((await verify(server, forged)).statusCode).toBe(401);
  });

  it("writes one access line per request, naming method, path, status and client", async () => {
    lines.length = 0;
    const token = await tokenOf(server, "user2", "password-two-2");
    await verify(server, token);
    const requestLines = lines.filter((line) => line.msg === "request completed");
    expect(requestLines).toHaveLength(2);
    expect(requestLines[1]).toMatchObject({
      method: "GET",
      url: "/token/verify_token",
      statusCode: 200,
      ip: "127.0.0.1",
    });
    expect(lines.some((line) => line.msg === "incoming request")).toBe(false);
  });

  it("with access_log = no writes no access lines, but still logs rejected tokens", async () => {
    const token = await tokenOf(quiet, "user2", "password-two-2");
    expect((await verify(quiet, token)).statusCode).toBe(200);
    expect((await verify(quiet, `${token}x`)).statusCode).toBe(401);
    expect(quietLines.filter((line) => line.msg === "request completed")).toEqual([]);
    expect(quietLines.filter((line) => line.msg === "token rejected")).toHaveLength(1);
  });
});

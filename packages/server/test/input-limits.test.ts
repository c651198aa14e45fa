import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "./helpers/test-databases.js";
import { seedUsers } from "./helpers/test-server.js";
import { createLoginTestServer, type LoginTestServer } from "./login/login-test-server.js";

// The input limits at the boundaries a user meets them, on both ways to sign in: a password may
// have up to 1024 characters and a username up to 256; one more is a 400 before any password
// check. Written out here rather than imported, so a changed limit shows as a failing test.

const LONGEST_PASSWORD = "p".repeat(1024);
const LONGEST_USERNAME = "u".repeat(256);

let database: TestDatabase;
let server: LoginTestServer;
beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  server = await createLoginTestServer({ db: database.db });
  await seedUsers(server.adminService, [{ username: "longpw", password: LONGEST_PASSWORD }]);
});
afterAll(async () => {
  await server?.close();
  await database?.cleanup();
});

const post = (url: string, body: unknown) =>
  server.app.inject({ method: "POST", url, payload: body as Record<string, unknown> });

describe("POST /token/gettoken", () => {
  it("accepts the longest password (1024 characters)", async () => {
    const response = await post("/token/gettoken", {
      username: "longpw",
      password: LONGEST_PASSWORD,
    });
    expect(response.statusCode).toBe(201);
  });

  it("refuses a password of 1025 characters with 400, naming the field", async () => {
    const response = await post("/token/gettoken", {
      username: "longpw",
      password: `${LONGEST_PASSWORD}p`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toMatch(/password/);
  });

  it("looks a 256-character username up (401) and refuses 257 characters (400)", async () => {
    const longest = await post("/token/gettoken", { username: LONGEST_USERNAME, password: "x" });
    expect(longest.statusCode).toBe(401);
    const tooLong = await post("/token/gettoken", {
      username: `${LONGEST_USERNAME}u`,
      password: "x",
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().message).toMatch(/username/);
  });
});

describe("POST /login", () => {
  it("accepts the longest password (1024 characters)", async () => {
    const response = await post("/login", { username: "longpw", password: LONGEST_PASSWORD });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ login: true });
  });

  it("refuses a password of 1025 characters with 400", async () => {
    const response = await post("/login", { username: "longpw", password: `${LONGEST_PASSWORD}p` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      login: false,
      msg: "password is longer than 1024 characters",
    });
  });

  it("looks a 256-character username up (403) and refuses 257 characters (400)", async () => {
    const longest = await post("/login", { username: LONGEST_USERNAME, password: "x" });
    expect(longest.statusCode).toBe(403);
    const tooLong = await post("/login", { username: `${LONGEST_USERNAME}u`, password: "x" });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()).toEqual({
      login: false,
      msg: "username is longer than 256 characters",
    });
  });
});

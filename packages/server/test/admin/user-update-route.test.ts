import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../helpers/test-databases.js";
import { type AdminTestServer, call, createAdminTestServer } from "./helpers/admin-test-server.js";

// POST /update/user: a new password and/or roles; the user's earlier tokens stop working.

describeEachProvider("POST /update/user", (ctx) => {
  let server: AdminTestServer;

  beforeAll(async () => {
    server = await createAdminTestServer({ db: ctx.db });
    await server.adminService.addUser({
      username: "changeme",
      password: "first-password",
      roles: [],
      wfc: "wfc1",
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const update = (body: unknown, token = server.adminToken) =>
    call(server, "POST", "/update/user", { token, body });
  const verifyStatus = async (token: string) =>
    (
      await server.app.inject({
        method: "GET",
        url: "/token/verify_token",
        headers: { "x-auth-token": token },
      })
    ).json().status as string;

  it("POST /add/user and /update/user: 7 characters are refused naming the minimum, 8 accepted", async () => {
    const add = (password: string) =>
      call(server, "POST", "/add/user", {
        token: server.adminToken,
        body: { username: "minlength", password, wfc: "wfc1", roles: [] },
      });
    const short = await add("7-chars");
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: "VALIDATION_FAILED", field: "password" });
    expect(short.json().message).toContain("password is too short: use at least 8 characters");
    expect((await add("8-chars!")).statusCode, "8 characters").toBe(201);
    const shortUpdate = await update({ username: "minlength", password: "7-chars" });
    expect(shortUpdate.statusCode).toBe(400);
    expect(shortUpdate.json().message).toContain("use at least 8 characters");
    expect((await update({ username: "minlength", password: "8-chars?" })).statusCode).toBe(200);
  });

  it("changes password and roles in one call; the new password works, the old one does not", async () => {
    const response = await update({
      username: "changeme",
      password: "second-password",
      roles: ["role1"],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().status).toMatchObject({ username: "changeme", roles: ["role1"] });
    const login = (password: string) =>
      server.app.inject({
        method: "POST",
        url: "/token/gettoken",
        payload: { username: "changeme", password },
      });
    expect((await login("first-password")).statusCode).toBe(401);
    const token = (await login("second-password")).json().auth_token as string;
    expect(await verifyStatus(token)).toBe("Verification Successful");
  });

  it("a changed user's token signed before the change is refused at verify_token and the admin API", async () => {
    // The admin changes u1's roles: u1's token from before (issued at server start, more than a
    // second ago once we wait) stops working everywhere the server checks.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const before = server.role1Token;
    expect((await call(server, "GET", "/list/users", { token: before })).statusCode).toBe(200);
    expect((await update({ name: "u1", roles: ["role1"] })).statusCode).toBe(200);
    expect(await verifyStatus(before)).toBe("Invalid token");
    const refused = await call(server, "GET", "/list/users", { token: before });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe("TOKEN_REVOKED");
  });

  it("words its refusals for an update, not a registration", async () => {
    const unknownRole = await update({ username: "changeme", roles: ["ghost"] });
    expect(unknownRole.json()).toMatchObject({
      status: "refers to something that does not exist",
      code: "UNKNOWN_REFERENCE",
      field: "roles",
    });
    expect(unknownRole.json().message).toMatch(/role "ghost" does not exist/);
    const unknownUser = await update({ username: "nobody", password: "x-password" });
    expect(unknownUser.json()).toMatchObject({
      status: { error: "No such record is found" },
      code: "NOT_FOUND",
    });
  });

  it.each([
    [{ username: "nobody", password: "x-password" }, 404, undefined],
    [{ username: "changeme", roles: ["ghost"] }, 422, undefined],
    [{ username: "changeme" }, 400, "password"],
    [{ password: "x-password" }, 400, "username"],
    [{ username: "changeme", name: "other", password: "password" }, 400, "username"],
    [{ username: "changeme", password: "password", wfc: "wfc1" }, 400, "wfc"],
    [{ username: "changeme", password: "" }, 400, "password"],
    [{ username: "changeme", roles: "role1" }, 400, "roles"],
  ])("refuses %j with %i", async (body, status, field) => {
    const response = await update(body);
    expect(response.statusCode, response.body).toBe(status);
    if (field !== undefined) expect(response.json().field).toBe(field);
    expect(response.body).not.toMatch(/prisma|sqlite|postgres|select /i);
  });

  it("a token without the rule gets 403, and nothing changes", async () => {
    const u1 = await server.tokenFor("u1", "u1-secret");
    const response = await update({ username: "changeme", password: "hijacked" }, u1);
    expect(response.statusCode).toBe(403);
    const login = await server.app.inject({
      method: "POST",
      url: "/token/gettoken",
      payload: { username: "changeme", password: "hijacked" },
    });
    expect(login.statusCode).toBe(401);
  });

  it("POST /revoke/user ends the user's tokens and sessions, and nothing else", async () => {
    const login = () =>
      server.app.inject({
        method: "POST",
        url: "/token/gettoken",
        payload: { username: "changeme", password: "second-password" },
      });
    const before = (await login()).json().auth_token as string;
    expect(await verifyStatus(before)).toBe("Verification Successful");
    const revoked = await call(server, "POST", "/revoke/user", {
      token: server.adminToken,
      body: { username: "changeme" },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json().status).toMatchObject({ username: "changeme", roles: ["role1"] });
    expect(await verifyStatus(before)).toBe("Invalid token");
    // The password and roles are as they were: a new login works and carries the same roles.
    const after = (await login()).json().auth_token as string;
    expect(await verifyStatus(after)).toBe("Verification Successful");

    const unknown = await call(server, "POST", "/revoke/user", {
      token: server.adminToken,
      body: { username: "nobody" },
    });
    expect(unknown.statusCode).toBe(404);
    const noName = await call(server, "POST", "/revoke/user", {
      token: server.adminToken,
      body: {},
    });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().field).toBe("username");
    const u1 = await server.tokenFor("u1", "u1-secret");
    const forbidden = await call(server, "POST", "/revoke/user", {
      token: u1,
      body: { username: "changeme" },
    });
    expect(forbidden.statusCode).toBe(403);
  });
});

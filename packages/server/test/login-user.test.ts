import { afterAll, beforeAll, expect, it } from "vitest";
import { findLoginUser } from "../src/services/admin/login-user.js";
import { findUserRow } from "../src/services/admin/users.js";
import { toServiceRecord, toUserRecord } from "../src/services/records.js";
import { describeEachProvider } from "./helpers/test-databases.js";
import { createTestServer, seedUsers, type TestServer } from "./helpers/test-server.js";

// The login's one-statement reads (the user, the service catalog) give exactly what the admin
// service's Prisma reads give.

describeEachProvider("findLoginUser", (ctx) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await createTestServer({ db: ctx.db });
    await seedUsers(server.adminService, [
      { username: "plain", password: "plain-password", email: "plain@example.org" },
      { username: "noroles", password: "noroles-password", roles: [] },
    ]);
    for (const role of ["zeta", "alpha", "mid"]) await server.adminService.addRole(role);
    await server.adminService.addUser({
      username: "many",
      password: "many-password",
      email: null,
      // Added out of name order: roles come back by role id, as findUserRow orders them.
      roles: ["mid", "zeta", "alpha", "role1"],
      wfc: "wfc1",
    });
    // A revocation time, which the login read must return too.
    await server.adminService.revokeUserTokens("many");
  });
  afterAll(async () => {
    await server?.close();
  });

  it("returns the record, hash and revocation time the ORM read returns", async () => {
    for (const username of ["plain", "noroles", "many"]) {
      const row = await findUserRow(ctx.db.prisma, username);
      const found = await findLoginUser(ctx.db, username);
      expect(found, username).toEqual({
        user: toUserRecord(row!),
        passwordHash: row!.passwordHash,
        tokensValidAfterMs: row!.tokensValidAfter?.getTime() ?? 0,
      });
    }
    expect((await findLoginUser(ctx.db, "many"))?.user.roles).toHaveLength(4);
  });

  it("returns null for an unknown user", async () => {
    expect(await findLoginUser(ctx.db, "nobody")).toBeNull();
  });

  it("the service catalog (a plain statement, read at every login) has the records the ORM has", async () => {
    await server.adminService.addService({
      name: "zeta-svc",
      urlInternal: "http://zeta.internal:8080",
      urlExternal: "https://zeta.example.org",
    });
    await server.adminService.addService({ name: "alpha-svc", urlInternal: "http://alpha:1" });
    const rows = await ctx.db.prisma.service.findMany({ orderBy: { id: "asc" } });
    const listed = rows.map(toServiceRecord);
    expect(listed).toHaveLength(2);
    expect(await server.adminService.listServices()).toEqual(listed);
    const catalog = await server.adminService.serviceCatalog();
    expect(Object.keys(catalog)).toEqual(["zeta-svc", "alpha-svc"]);
    expect(Object.values(catalog)).toEqual(listed);
  });
});

import { beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../../test/helpers/test-databases.js";
import { AppError, type ErrorCode } from "../errors.js";
import { hashPassword } from "../passwords/argon2.js";
import { type AdminService, createAdminService } from "./admin-service.js";
import { originalMessages } from "./messages.js";
import { userToDict } from "./records.js";

// Cheap hashes keep the suite fast; the parameters themselves are tested in passwords/.
const settings = { passwords: { memoryCost: 1024, timeCost: 1, parallelism: 1, minLength: 8 } };
const WERKZEUG_USER1 =
  "pbkdf2:sha256:50000$abcdEFGH$69aaa968e7df7832f5ddd55d5e7617c42392b08314eeb3ebc99ed538074977fb";

async function expectAppError(promise: Promise<unknown>, code: ErrorCode, message?: RegExp) {
  const error = await promise.then(
    () => {
      throw new Error(`expected ${code}, got success`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  if (message) expect((error as AppError).message).toMatch(message);
  return error as AppError;
}

describeEachProvider("admin service", (ctx) => {
  let service: AdminService;
  const changes: string[] = [];
  const committed: string[][] = [];
  let seq = 0;
  const unique = (prefix: string) => `${prefix}${++seq}`;

  beforeAll(() => {
    service = createAdminService(ctx.db, settings, {
      onUserCredentialsChanged: (username, { reason }) => {
        changes.push(`${username}:${reason}`);
      },
      afterUserCredentialsCommitted: (usernames) => {
        committed.push([...usernames]);
      },
    });
  });

  it("tells the after-commit hook which users changed, and nothing after a rollback", async () => {
    const { wfc } = await seedWfc();
    const role = unique("role");
    await service.addRole(role);
    const username = unique("user");
    await service.addUser({ username, password: "password", roles: [], wfc });
    committed.length = 0;
    await service.updateUser({ username, password: "password2", roles: [role] });
    expect(committed).toEqual([[username, username]]);
    committed.length = 0;
    await expectAppError(
      service.updateUser({ username, roles: ["ghost-role"] }),
      "UNKNOWN_REFERENCE",
    );
    await service.addOrg(unique("org"));
    expect(committed).toEqual([]);
    await service.deleteRole(role);
    expect(committed).toEqual([[username]]);
  });

  async function seedWfc() {
    const [org, ou, dept, wfc] = [unique("org"), unique("ou"), unique("dept"), unique("wfc")];
    await service.addOrg(org);
    await service.addOrgUnit(ou);
    await service.addDepartment(dept);
    await service.addWfc(wfc, org, ou, dept);
    return { org, ou, dept, wfc };
  }

  it("registers the canonical bootstrap records and lists them in the original's shapes", async () => {
    const { db } = await ctx.createDatabase();
    const fresh = createAdminService(db, settings);
    expect(await fresh.addOrg("org1")).toMatchObject({ name: "org1", orgtype: "internal" });
    await fresh.addOrgUnit("ou1");
    await fresh.addDepartment("dept1");
    const wfc = await fresh.addWfc("wfc1", "org1", "ou1", "dept1");
    expect(wfc).toEqual({
      id: wfc.id,
      name: "wfc1",
      org: "org1",
      orgunit: "ou1",
      department: "dept1",
    });
    await fresh.addRole("role1");
    const user = await fresh.addUser({
      username: "user1",
      password: "user1-password",
      email: "user1",
      roles: ["role1"],
      wfc: "wfc1",
    });
    expect(userToDict(user)).toEqual({
      id: user.id,
      username: "user1",
      email: "user1",
      roles: ["role1"],
      wfc: { id: wfc.id, name: "wfc1", org: "org1", orgunit: "ou1", department: "dept1" },
    });
    const tl = await fresh.addService({
      name: "tokenleader",
      password: "tokenleader",
      urlInternal: "localhost:5001",
    });
    expect(await fresh.serviceCatalog()).toEqual({
      tokenleader: {
        id: tl.id,
        name: "tokenleader",
        endpoint_url_internal: "localhost:5001",
        endpoint_url_external: null,
        endpoint_url_admin: null,
      },
    });
    expect(await fresh.getUser("user1")).toEqual(user);
    expect(await fresh.getUser("nobody")).toBeNull();
  });

  it("lists every record, in creation order (not only the last one)", async () => {
    const { db } = await ctx.createDatabase();
    const fresh = createAdminService(db, settings);
    expect(await fresh.listOrgs()).toEqual([]);
    expect(await fresh.listUsers()).toEqual([]);
    expect(await fresh.serviceCatalog()).toEqual({});
    for (const name of ["b", "a", "c"]) {
      await fresh.addOrg(name);
      await fresh.addOrgUnit(name);
      await fresh.addDepartment(name);
      await fresh.addRole(name);
      await fresh.addService({ name, urlInternal: `http://${name}` });
    }
    await fresh.addWfc("w1", "a", "b", "c");
    await fresh.addWfc("w2", "a", "a", "a"); // many wfcs may share an org/ou/dept
    await fresh.addUser({ username: "u1", password: "password", roles: ["a", "b"], wfc: "w1" });
    await fresh.addUser({ username: "u2", password: "password", roles: [], wfc: "w1" });
    const names = (rows: { name: string }[]) => rows.map((row) => row.name);
    expect(names(await fresh.listOrgs())).toEqual(["b", "a", "c"]);
    expect(names(await fresh.listOrgUnits())).toEqual(["b", "a", "c"]);
    expect(names(await fresh.listDepartments())).toEqual(["b", "a", "c"]);
    expect(names(await fresh.listRoles())).toEqual(["b", "a", "c"]);
    expect(names(await fresh.listServices())).toEqual(["b", "a", "c"]);
    expect(await fresh.listWfcs()).toMatchObject([
      { name: "w1", org: "a", orgunit: "b", department: "c" },
      { name: "w2", org: "a", orgunit: "a", department: "a" },
    ]);
    const users = await fresh.listUsers();
    expect(users.map((user) => [user.username, user.roles])).toEqual([
      ["u1", ["b", "a"]],
      ["u2", []],
    ]);
    expect(Object.keys(await fresh.serviceCatalog())).toEqual(["b", "a", "c"]);
  });

  it("refuses duplicates with 'X already exists'", async () => {
    const { org, wfc } = await seedWfc();
    await expectAppError(
      service.addOrg(org),
      "ALREADY_EXISTS",
      new RegExp(`^organization "${org}" already exists$`),
    );
    const role = unique("role");
    await service.addRole(role);
    await expectAppError(
      service.addRole(` ${role} `),
      "ALREADY_EXISTS",
      /role ".*" already exists/,
    );
    const { ou, dept } = await seedWfc();
    await expectAppError(
      service.addWfc(wfc, org, ou, dept),
      "ALREADY_EXISTS",
      /wfc ".*" already exists/,
    );
    const username = unique("user");
    await service.addUser({
      username,
      password: "password",
      email: `${username}@x`,
      roles: [role],
      wfc,
    });
    await expectAppError(
      service.addUser({ username, password: "password", roles: [role], wfc }),
      "ALREADY_EXISTS",
      new RegExp(`^user "${username}" already exists$`),
    );
    await expectAppError(
      service.addUser({
        username: unique("user"),
        password: "password",
        email: `${username}@x`,
        roles: [],
        wfc,
      }),
      "ALREADY_EXISTS",
      new RegExp(`e-mail "${username}@x" is already used by user "${username}"`),
    );
    const svc = unique("svc");
    await service.addService({ name: svc, urlInternal: "x" });
    await expectAppError(service.addService({ name: svc, urlInternal: "y" }), "ALREADY_EXISTS");
  });

  it("refuses unknown org/ou/dept for a wfc, naming each, and saves nothing", async () => {
    const org = unique("org");
    await service.addOrg(org);
    const name = unique("wfc");
    const error = await expectAppError(
      service.addWfc(name, org, "no-ou", "no-dept"),
      "UNKNOWN_REFERENCE",
      /org unit "no-ou", department "no-dept" do not exist; create them first/,
    );
    expect(error.httpStatus).toBe(422);
    // The inputs at fault are named as data, not left to be read out of the message.
    expect(error.field).toBe("ou");
    expect(error.details).toEqual([
      { field: "ou", problem: 'org unit "no-ou" does not exist' },
      { field: "dept", problem: 'department "no-dept" does not exist' },
    ]);
    expect(await service.getWfc(name)).toBeNull();
  });

  it("refuses unknown roles or wfc for a user, naming them, and saves nothing", async () => {
    const { wfc } = await seedWfc();
    const role = unique("role");
    await service.addRole(role);
    const username = unique("user");
    await expectAppError(
      service.addUser({ username, password: "password", roles: [role, "ghost"], wfc }),
      "UNKNOWN_REFERENCE",
      /role "ghost" does not exist; create it first/,
    );
    const noWfc = await expectAppError(
      service.addUser({ username, password: "password", roles: [role], wfc: "nowfc" }),
      "UNKNOWN_REFERENCE",
      /wfc "nowfc" does not exist/,
    );
    expect(noWfc.field).toBe("wfc");
    expect(await service.getUser(username)).toBeNull();
  });

  it("rejects empty, over-long and control-character names and bad e-mails", async () => {
    await expectAppError(service.addOrg("   "), "VALIDATION_FAILED", /^name must not be empty$/);
    await expectAppError(
      service.addRole("x".repeat(65)),
      "VALIDATION_FAILED",
      /at most 64 characters/,
    );
    await expectAppError(
      service.addOrgUnit("bad\nname"),
      "VALIDATION_FAILED",
      /control characters/,
    );
    await expectAppError(
      service.addDepartment("tab\there"),
      "VALIDATION_FAILED",
      /control characters/,
    );
    // Zero-width space and a right-to-left override look like nothing on screen.
    await expectAppError(service.addRole("ad\u200bmin"), "VALIDATION_FAILED", /invisible/);
    await expectAppError(service.addRole("\u202enimda"), "VALIDATION_FAILED", /invisible/);
    const { wfc } = await seedWfc();
    const error = await expectAppError(
      service.addUser({ username: "", password: "", email: "e".repeat(121), roles: [], wfc }),
      "VALIDATION_FAILED",
    );
    expect(error.details?.map((detail) => detail.field)).toEqual(["username", "password", "email"]);
    await expectAppError(
      service.addService({ name: "s", urlInternal: "" }),
      "VALIDATION_FAILED",
      /urlInternal/,
    );
    expect(await service.addRole("x".repeat(64))).toMatchObject({ name: "x".repeat(64) });
    expect(await service.addOrg(`  ${"trim-me"}  `)).toMatchObject({ name: "trim-me" });
  });

  it("refuses the name `all` (it means every record when listing) for every kind", async () => {
    const { org, ou, dept, wfc } = await seedWfc();
    const reserved = /^name must not be "all" \(reserved: it means every record when listing\)$/;
    await expectAppError(service.addOrg("all"), "VALIDATION_FAILED", reserved);
    await expectAppError(service.addOrgUnit(" all "), "VALIDATION_FAILED", reserved);
    await expectAppError(service.addDepartment("all"), "VALIDATION_FAILED", reserved);
    await expectAppError(service.addRole("all"), "VALIDATION_FAILED", reserved);
    await expectAppError(service.addWfc("all", org, ou, dept), "VALIDATION_FAILED", reserved);
    const user = await expectAppError(
      service.addUser({ username: "all", password: "password", roles: [], wfc }),
      "VALIDATION_FAILED",
    );
    expect(user.details).toEqual([
      {
        field: "username",
        problem: 'must not be "all" (reserved: it means every record when listing)',
      },
    ]);
    await expectAppError(
      service.addService({ name: "all", urlInternal: "http://all.internal" }),
      "VALIDATION_FAILED",
      reserved,
    );
    // Looking up or deleting stays possible: a record named `all` imported from elsewhere can
    // still be removed.
    expect(await service.getService("all")).toBeNull();
    await expectAppError(service.deleteOrg("all"), "NOT_FOUND");
    // Only the exact word: other names that contain it, or another case, are ordinary names.
    expect(await service.addService({ name: "All", urlInternal: "http://x" })).toMatchObject({
      name: "All",
    });
    expect(await service.addOrg(unique("all-"))).toMatchObject({ name: expect.any(String) });
  });

  it("refuses lone UTF-16 surrogates in names, passwords, e-mails and URLs", async () => {
    const { wfc } = await seedWfc();
    const notUnicode = /must be valid Unicode text \(it contains a lone UTF-16 surrogate\)/;
    await expectAppError(service.addOrg("org\ud800"), "VALIDATION_FAILED", notUnicode);
    await expectAppError(service.addRole("\udfffrole"), "VALIDATION_FAILED", notUnicode);
    const error = await expectAppError(
      service.addUser({
        username: "u\ud800",
        password: "password\udc00",
        email: "e\ud800@example.org",
        roles: [],
        wfc,
      }),
      "VALIDATION_FAILED",
    );
    expect(error.details?.map((detail) => detail.field)).toEqual(["username", "password", "email"]);
    const urls = await expectAppError(
      service.addService({
        name: "svc",
        urlInternal: "http://a/\ud800",
        urlExternal: "http://b/\udbff",
      }),
      "VALIDATION_FAILED",
    );
    expect(urls.details?.map((detail) => detail.field)).toEqual(["urlInternal", "urlExternal"]);
    // A proper surrogate pair is one character and stays allowed.
    const emoji = unique("org-\u{1F600}-");
    expect(await service.addOrg(emoji)).toMatchObject({ name: emoji });
    expect(await service.getOrg(emoji)).toMatchObject({ name: emoji });
  });

  it("deletes records and reports unknown ones as NOT_FOUND", async () => {
    const { org, ou, dept, wfc } = await seedWfc();
    expect(await service.deleteWfc(wfc)).toMatchObject({ name: wfc });
    expect(await service.deleteOrg(org)).toMatchObject({ name: org });
    expect(await service.deleteOrgUnit(ou)).toMatchObject({ name: ou });
    expect(await service.deleteDepartment(dept)).toMatchObject({ name: dept });
    expect(await service.getOrg(org)).toBeNull();
    await expectAppError(
      service.deleteOrg(org),
      "NOT_FOUND",
      new RegExp(`organization "${org}" not found`),
    );
    await expectAppError(service.deleteWfc("nope"), "NOT_FOUND");
    await expectAppError(service.deleteUser("nope"), "NOT_FOUND");
    await expectAppError(service.deleteRole("nope"), "NOT_FOUND");
    await expectAppError(service.deleteService("nope"), "NOT_FOUND");
    const svc = unique("svc");
    await service.addService({ name: svc, urlInternal: "x", urlExternal: "y", urlAdmin: "z" });
    expect(await service.deleteService(svc)).toMatchObject({ name: svc, endpoint_url_admin: "z" });
    expect(await service.getService(svc)).toBeNull();
  });

  it("refuses to delete what is still referenced, naming the users, and deletes nothing", async () => {
    const { org, ou, dept, wfc } = await seedWfc();
    const username = unique("user");
    await service.addUser({ username, password: "password", roles: [], wfc });
    await expectAppError(
      service.deleteWfc(wfc),
      "STILL_REFERENCED",
      new RegExp(`wfc "${wfc}" is still used by user "${username}"`),
    );
    await expectAppError(
      service.deleteOrg(org),
      "STILL_REFERENCED",
      new RegExp(`organization "${org}" is still used by wfc "${wfc}"`),
    );
    await expectAppError(service.deleteOrgUnit(ou), "STILL_REFERENCED");
    await expectAppError(service.deleteDepartment(dept), "STILL_REFERENCED");
    expect(await service.getWfc(wfc)).not.toBeNull();
    expect(await service.getOrg(org)).not.toBeNull();
  });

  it("detaches a deleted role from its users and tells the credentials hook", async () => {
    const { wfc } = await seedWfc();
    const [keep, drop] = [unique("role"), unique("role")];
    await service.addRole(keep);
    await service.addRole(drop);
    const username = unique("user");
    await service.addUser({ username, password: "password", roles: [keep, drop], wfc });
    changes.length = 0;
    await service.deleteRole(drop);
    expect((await service.getUser(username))?.roles).toEqual([keep]);
    expect(changes).toEqual([`${username}:roles_changed`]);
  });

  it("calls the credentials hook on user delete, password and role changes; a failing hook rolls back", async () => {
    const { wfc } = await seedWfc();
    const role = unique("role");
    await service.addRole(role);
    const username = unique("user");
    await service.addUser({ username, password: "old-password", roles: [], wfc });
    changes.length = 0;
    await service.updateUser({ username: username, password: "new-password" });
    expect((await service.updateUser({ username: username, roles: [role] })).roles).toEqual([role]);
    expect((await service.authenticate(username, "new-password")).ok).toBe(true);
    await service.deleteUser(username);
    expect(changes).toEqual([
      `${username}:password_changed`,
      `${username}:roles_changed`,
      `${username}:deleted`,
    ]);

    const strict = createAdminService(ctx.db, settings, {
      onUserCredentialsChanged: () => {
        throw new AppError("INTERNAL", "revocation failed");
      },
    });
    const other = unique("user");
    await strict.addUser({ username: other, password: "password", roles: [], wfc });
    await expectAppError(strict.deleteUser(other), "INTERNAL", /revocation failed/);
    expect(await strict.getUser(other)).not.toBeNull();
    await expectAppError(
      strict.updateUser({ username: other, roles: ["ghost"] }),
      "UNKNOWN_REFERENCE",
    );
  });

  it("refuses a password shorter than [passwords] min_length on every way of setting one", async () => {
    const { wfc } = await seedWfc();
    const username = unique("short");
    const tooShort = /password is too short: use at least 8 characters/;
    await expectAppError(
      service.addUser({ username, password: "7-chars", roles: [], wfc }),
      "VALIDATION_FAILED",
      tooShort,
    );
    await service.addUser({ username, password: "8-chars!", roles: [], wfc });
    await expectAppError(
      service.updateUser({ username, password: "7-chars" }),
      "VALIDATION_FAILED",
      tooShort,
    );
    await service.updateUser({ username, password: "8-chars?" });
    expect((await service.authenticate(username, "8-chars?")).ok).toBe(true);
    await expectAppError(
      service.addService({ name: unique("svc"), password: "7-chars", urlInternal: "x:1" }),
      "VALIDATION_FAILED",
      tooShort,
    );
    // Characters as a person counts them: four emoji are four characters, not eight.
    await expectAppError(
      service.updateUser({ username, password: "\u{1F600}".repeat(4) }),
      "VALIDATION_FAILED",
      tooShort,
    );
    // A stricter setting is honoured; signing in never applies the minimum.
    const strict = createAdminService(ctx.db, {
      passwords: { ...settings.passwords, minLength: 12 },
    });
    await expectAppError(
      strict.updateUser({ username, password: "11-chars-ok" }),
      "VALIDATION_FAILED",
      /at least 12 characters/,
    );
    expect((await strict.authenticate(username, "8-chars?")).ok).toBe(true);
  });

  it("authenticates: success, wrong password, unknown user, missing fields", async () => {
    const { wfc } = await seedWfc();
    const username = unique("user");
    await service.addUser({ username, password: "s3cret-password", roles: [], wfc });
    const ok = await service.authenticate(username, "s3cret-password");
    expect(ok).toMatchObject({ ok: true, rehashed: false, user: { username, roles: [] } });
    expect(await service.authenticate(username, "S3cret-password")).toEqual({
      ok: false,
      reason: "wrong_password",
    });
    expect(await service.authenticate(username.toUpperCase(), "s3cret-password")).toEqual({
      ok: false,
      reason: "unknown_user",
    });
    expect(await service.authenticate("", "x")).toEqual({ ok: false, reason: "unknown_user" });
    expect(await service.authenticate(null, "x")).toEqual({ ok: false, reason: "missing" });
    expect(await service.authenticate(username, undefined)).toEqual({
      ok: false,
      reason: "missing",
    });
  });

  it("accepts an imported Werkzeug hash and upgrades it to argon2id on success", async () => {
    const { wfc } = await seedWfc();
    const username = unique("legacy");
    await service.addUser({ username, password: "placeholder", roles: [], wfc });
    await ctx.db.prisma.user.update({
      where: { username },
      data: { passwordHash: WERKZEUG_USER1 },
    });
    expect(await service.authenticate(username, "wrong")).toEqual({
      ok: false,
      reason: "wrong_password",
    });
    const storedBefore = await ctx.db.prisma.user.findUnique({ where: { username } });
    expect(storedBefore?.passwordHash).toBe(WERKZEUG_USER1);
    expect(await service.authenticate(username, "user1")).toMatchObject({
      ok: true,
      rehashed: true,
    });
    const storedAfter = await ctx.db.prisma.user.findUnique({ where: { username } });
    expect(storedAfter?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
    expect(await service.authenticate(username, "user1")).toMatchObject({
      ok: true,
      rehashed: false,
    });
  });

  it("upgrades argon2 hashes weaker than the configured parameters", async () => {
    const { wfc } = await seedWfc();
    const username = unique("weak");
    await service.addUser({ username, password: "password", roles: [], wfc });
    const stronger = createAdminService(ctx.db, {
      passwords: { memoryCost: 2048, timeCost: 1, parallelism: 1, minLength: 8 },
    });
    expect(await stronger.authenticate(username, "password")).toMatchObject({
      ok: true,
      rehashed: true,
    });
    const row = await ctx.db.prisma.user.findUnique({ where: { username } });
    expect(row?.passwordHash).toMatch(/m=2048/);
  });

  it("stores service passwords hashed, never in clear", async () => {
    const name = unique("svc");
    await service.addService({ name, password: "tokenleader", urlInternal: "localhost:5001" });
    const row = await ctx.db.prisma.service.findUnique({ where: { name } });
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(await service.getService(name))).not.toContain("argon2");
  });

  it("reports a database that was never migrated as DB_NOT_INITIALISED", async () => {
    const { db } = await ctx.createDatabase({ migrate: false });
    const bare = createAdminService(db, settings);
    await expectAppError(bare.listOrgs(), "DB_NOT_INITIALISED", /run adminops initdb/);
    await expectAppError(bare.addOrg("x"), "DB_NOT_INITIALISED");
  });
});

it("keeps the original's wire message texts", async () => {
  expect(originalMessages.registered("org1")).toBe("org1 has been registered.");
  expect(originalMessages.deleted("u1")).toBe("u1 has been  deleted successfully");
  expect(originalMessages.deleteTargetMissing()).toBe("None  not found in database");
  expect(originalMessages.unknownRoles(["x", "y"])).toBe(
    "following roles: ['x', 'y'] does not exist, create it first",
  );
  expect(originalMessages.noSuchRecord()).toEqual({ error: "No such record is found" });
  expect(await hashPassword("x", settings.passwords)).toMatch(/^\$argon2id\$/);
});

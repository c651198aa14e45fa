// adminops import weskit-users: the users of a WESkit users.yaml become database users with their
// roles (missing roles created) and legacy salted sha256 hashes, which verify at /token/gettoken
// and are upgraded to argon2id by the first successful login.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { saltedSha256 } from "../../src/passwords/salted-sha256.js";
import { describeEachProvider } from "../helpers/test-databases.js";
import { createTestServer, type TestServer } from "../helpers/test-server.js";
import { runAdminopsOn, scratchDirectory } from "./import-helpers.js";

const scratch = scratchDirectory("tl-import-weskit-");
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

// WESkit's sample file (reference weskit-login.md §5.1): user test, password test.
const SEED_SALT = "56babfc7-fc0f-490e-9501-5582369d7b7d";
const SEED_HASH = "1fa8a6c55d5a474ebd9382779b3b769b5c985679fad831357e290c19d0ad4e12";
const usersFile = path.join(scratch, "users.yaml");
fs.writeFileSync(
  usersFile,
  `test:
  roles: [Admin, default]
  salt: ${SEED_SALT}
  password: ${SEED_HASH}
anna:
  roles: [default]
  salt: anna-salt
  password: ${saltedSha256("anna-pw", "anna-salt")}
  email: anna@example.org
broken:
  roles: [default]
  password: ${saltedSha256("x", "y")}
`,
);

describeEachProvider("adminops import weskit-users", (ctx) => {
  let server: TestServer;
  const adminops = (args: string[]) => runAdminopsOn(ctx.url, args, { cwd: scratch });
  async function login(username: string, password: string) {
    const response = await server.app.inject({
      method: "POST",
      url: "/token/gettoken",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ username, password }),
    });
    const body = response.json();
    const sub = body.auth_token
      ? JSON.parse(Buffer.from(body.auth_token.split(".")[1], "base64url").toString()).sub
      : null;
    return { statusCode: response.statusCode, status: body.status, sub };
  }
  const storedHash = async (username: string) =>
    (await ctx.db.prisma.user.findUnique({ where: { username } }))?.passwordHash;

  beforeAll(async () => {
    server = await createTestServer({ db: ctx.db });
    await server.adminService.addOrg("weskit-org");
    await server.adminService.addOrgUnit("weskit-ou");
    await server.adminService.addDepartment("weskit-dept");
    await server.adminService.addWfc("weskit-wfc", "weskit-org", "weskit-ou", "weskit-dept");
  });
  afterAll(async () => {
    await server?.close();
  });

  it("refuses a --wfc that does not exist, and a missing file, writing nothing", async () => {
    const noWfc = await adminops(["import", "weskit-users", usersFile, "--wfc", "nope"]);
    expect(noWfc.code).toBe(1);
    expect(noWfc.stderr).toBe(
      'adminops: error: wfc "nope" does not exist on this server: create it first (adminops addwfc)\n',
    );
    const noFile = await adminops(["import", "weskit-users", "missing.yaml"]);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toMatch(/the users file .*missing\.yaml does not exist\n$/);
    expect(await ctx.db.prisma.user.count()).toBe(0);
  });

  it("--dry-run reports the users and roles it would create and writes nothing", async () => {
    const dry = await adminops(["import", "weskit-users", usersFile, "--dry-run", "--json"]);
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.stdout);
    expect(report).toMatchObject({
      dryRun: true,
      counts: {
        user: { created: 2, notMapped: 1 },
        role: { created: 2 },
      },
      notMapped: [{ entity: "user", name: "broken", reason: expect.stringMatching(/salt/) }],
    });
    expect(await ctx.db.prisma.user.count()).toBe(0);
    expect(await ctx.db.prisma.role.count()).toBe(0);
  });

  it("imports the users with their roles and the --wfc; legacy hashes log in and become argon2id", async () => {
    const result = await adminops(["import", "weskit-users", usersFile, "--wfc", "weskit-wfc"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/roles\s+2\s+0\s+0\s+0\n/);
    expect(result.stdout).toMatch(/users\s+2\s+0\s+0\s+1\n/);
    expect(result.stdout).toMatch(/user "broken": missing key 'salt'/);

    expect(await storedHash("test")).toBe(`weskit-sha256$${SEED_SALT}$${SEED_HASH}`);
    expect((await login("test", "wrong")).status).toBe("Wrong Password");
    const test = await login("test", "test");
    expect(test.statusCode).toBe(201);
    expect(test.sub).toMatchObject({
      username: "test",
      roles: ["Admin", "default"],
      wfc: { name: "weskit-wfc", org: "weskit-org" },
    });
    expect(await storedHash("test")).toMatch(/^\$argon2id\$/);
    expect((await login("test", "test")).statusCode).toBe(201);
    expect((await login("anna", "anna-pw")).sub).toMatchObject({
      email: "anna@example.org",
      roles: ["default"],
    });
  });

  it("running it again changes nothing; without --wfc the users have no wfc", async () => {
    const again = await adminops([
      "import",
      "weskit-users",
      usersFile,
      "--wfc",
      "weskit-wfc",
      "--json",
    ]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).counts.user).toEqual({
      created: 0,
      updated: 0,
      unchanged: 2,
      notMapped: 1,
    });
    expect(await storedHash("test")).toMatch(/^\$argon2id\$/); // the upgrade is kept

    const other = path.join(scratch, `plain-${ctx.provider}.yaml`);
    fs.writeFileSync(
      other,
      `lab:\n  roles: [default]\n  salt: s\n  password: ${saltedSha256("lab-pw", "s")}\n`,
    );
    expect((await adminops(["import", "weskit-users", other])).code).toBe(0);
    const lab = await login("lab", "lab-pw");
    expect(lab.statusCode).toBe(201);
    expect(lab.sub).toMatchObject({ username: "lab", roles: ["default"], wfc: null });
  });
});

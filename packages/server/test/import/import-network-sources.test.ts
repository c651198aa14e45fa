// adminops import tokenleader1 from the network databases SQLAlchemy could use: MariaDB/MySQL
// (a 1.8-shaped database, as `mysql+pymysql://…`) and PostgreSQL (`postgresql+psycopg2://…`),
// each into both of our providers.
import fs from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  createTestDatabase,
  describeEachProvider,
  type TestDatabase,
} from "../helpers/test-databases.js";
import {
  createMariadbDatabase,
  describeWithMariadb,
  type TestMariadbDatabase,
} from "../helpers/test-mariadb.js";
import { createTestServer, type TestServer } from "../helpers/test-server.js";
import { runAdminopsOn, scratchDirectory } from "./import-helpers.js";
import {
  forPostgres,
  tokenleader18Statements,
  tokenleaderCorrectedStatements,
} from "./tokenleader1-fixtures.js";

const scratch = scratchDirectory("tl-import-net-");
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

async function tokenClaims(server: TestServer, username: string, password: string) {
  const response = await server.app.inject({
    method: "POST",
    url: "/token/gettoken",
    headers: { "content-type": "application/json" },
    payload: JSON.stringify({ username, password }),
  });
  expect(response.statusCode).toBe(201);
  const token: string = response.json().auth_token;
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).sub;
}

describeWithMariadb("adminops import tokenleader1 from MariaDB", () => {
  describeEachProvider("into", (ctx) => {
    let source: TestMariadbDatabase;
    let server: TestServer;
    beforeAll(async () => {
      source = await createMariadbDatabase();
      await source.exec(tokenleader18Statements({ mysql: true }));
    });
    afterAll(async () => {
      await server?.close();
      await source?.drop();
    });

    it("imports the 1.8 shape with its anomalies; the users log in; a second run is idempotent", async () => {
      const from = source.url.replace(/^mysql:/, "mysql+pymysql:");
      const first = await runAdminopsOn(
        ctx.url,
        ["import", "tokenleader1", "--from", `${from}?charset=utf8mb4`, "--json"],
        {
          cwd: scratch,
        },
      );
      expect(first.stderr).toBe("");
      expect(first.code).toBe(0);
      const report = JSON.parse(first.stdout);
      expect(report.counts).toMatchObject({
        wfc: { created: 3, notMapped: 1 },
        user: { created: 3, notMapped: 2 },
        service: { created: 2 },
      });
      expect(report.notMapped.map((p: { name: string }) => p.name)).toEqual([
        "wfc2",
        "dave",
        "bob",
        "user id 99 / role id 2",
      ]);

      server = await createTestServer({ db: ctx.db });
      expect(await tokenClaims(server, "user1", "user1")).toMatchObject({
        roles: ["role1"],
        wfc: { name: "wfc1", org: "org1", orgunit: "ou1", department: "dept1" },
      });
      expect(await tokenClaims(server, "frank", "frank-pw")).toMatchObject({
        email: "frank@example.org",
        wfc: { name: "wfc4", org: "org3" },
      });

      const again = await runAdminopsOn(
        ctx.url,
        ["import", "tokenleader1", "--from", source.url, "--json"],
        {
          cwd: scratch,
        },
      );
      expect(again.code).toBe(0);
      const counts = JSON.parse(again.stdout).counts;
      for (const entity of Object.keys(counts)) {
        expect(counts[entity], entity).toMatchObject({ created: 0, updated: 0 });
      }
      expect(counts.user.unchanged).toBe(3);
    });

    it("a wrong password in the URL: exit 1 and a message without the password", async () => {
      const url = new URL(source.url);
      url.username = "nobody-here";
      url.password = "s3cret-pw";
      const result = await runAdminopsOn(ctx.url, ["import", "tokenleader1", "--from", url.href], {
        cwd: scratch,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^adminops: error: cannot read mysql:\/\/nobody-here:\*\*\*@127\.0\.0\.1:3306\/tokenleader_test_\w+: Access denied/,
      );
      expect(result.stderr).not.toContain("s3cret-pw");
    });
  });
});

describeEachProvider("adminops import tokenleader1 from PostgreSQL", (ctx) => {
  let source: TestDatabase | undefined;
  afterAll(() => source?.cleanup());

  it("imports the corrected shape from a postgresql+psycopg2:// URL", async () => {
    // An empty database of the PostgreSQL test server holds the 1.x tables.
    source = await createTestDatabase("postgresql", { migrate: false });
    const client = new pg.Client({ connectionString: source.url });
    await client.connect();
    try {
      for (const sql of forPostgres(tokenleaderCorrectedStatements())) await client.query(sql);
    } finally {
      await client.end();
    }
    const from = source.url.replace(/^postgres(ql)?:/, "postgresql+psycopg2:");
    const result = await runAdminopsOn(
      ctx.url,
      ["import", "tokenleader1", "--from", from, "--json"],
      {
        cwd: scratch,
      },
    );
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.sourceShape).toMatch(/corrected schema.*alembic revision 70c688d7cd94/);
    expect(report.counts.user).toEqual({ created: 2, updated: 0, unchanged: 0, notMapped: 1 });
    const carol = await ctx.db.prisma.user.findUnique({
      where: { username: "carol" },
      include: { wfc: true },
    });
    expect(carol?.wfc?.name).toBe("wfc2");
  });
});

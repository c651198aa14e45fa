import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactDatabaseUrl } from "../../packages/server/src/db/database-url.js";
import {
  postgresDatabaseOrSkip,
  testPostgresUrl,
} from "../../packages/server/test/helpers/test-databases.js";
import { writeClientConfig } from "./support/client-config.js";
import { BIN, runCli } from "./support/processes.js";
import { startTokenleaderServer, type TokenleaderServer } from "./support/server-process.js";

// The same processes on PostgreSQL: a server whose database is a fresh PostgreSQL database
// (created here, migrated by the server on start, dropped afterwards), adminops and the client
// CLIs against it. Where no PostgreSQL answers, the suite is skipped with one line saying why,
// unless TOKENLEADER_TEST_REQUIRE_POSTGRES=1 (CI), which makes that a failure.

const { database, skip, problem } = await postgresDatabaseOrSkip("PostgreSQL end-to-end test");

describe.skipIf(skip)("tokenleader-server on PostgreSQL, with adminops and the client CLIs", () => {
  let server: TokenleaderServer;
  let dir: string;
  let adminConfig: string;
  let userConfig: string;

  beforeAll(async () => {
    if (!database) {
      throw new Error(
        `PostgreSQL is required but ${redactDatabaseUrl(testPostgresUrl())} does not answer: ${problem}`,
      );
    }
    dir = await mkdtemp(join(tmpdir(), "tl-e2e-pg-"));
    server = await startTokenleaderServer({ dbUrl: database.url });
    adminConfig = writeClientConfig(dir, "admin", { tlUrl: server.url, tlUser: "admin" });
    userConfig = writeClientConfig(dir, "pguser", { tlUrl: server.url, tlUser: "pguser" });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.cleanup();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("the bootstrap admin adds a role over the CLI, adminops adds a user, who gets and verifies a token", async () => {
    const auth = await runCli(BIN.tokenleaderAuth, ["--config", adminConfig, "--password-stdin"], {
      input: server.adminPassword,
    });
    expect(auth.code).toBe(0);
    const role = await runCli(BIN.tokenleader, [
      "add",
      "role",
      "-n",
      "role1",
      "--config",
      adminConfig,
    ]);
    expect(role.stderr).toBe("");
    expect(role.stdout).toBe("role1 has been registered.\n");

    // The bootstrap created org/ou/dept/wfc "default"; adminops writes to the same database.
    const added = await server.adminops(
      ["adduser", "-n", "pguser", "--password-stdin", "--rolenames", "role1", "--wfc", "default"],
      "pg-Secret-1\n",
    );
    // stderr is not checked: on PostgreSQL, @prisma/adapter-pg 7.10 makes pg 8.23 print a
    // DeprecationWarning ("client.query() when the client is already executing a query") here.
    expect(added.code).toBe(0);
    expect(added.stdout).toBe("pguser has been registered.\n");

    const listed = await runCli(BIN.tokenleader, [
      "list",
      "user",
      "-n",
      "pguser",
      "--json",
      "--config",
      adminConfig,
    ]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).status).toMatchObject({
      username: "pguser",
      roles: ["role1"],
      wfc: { name: "default", org: "default" },
    });

    const token = await runCli(BIN.tokenleader, [
      "gettoken",
      "--print-token",
      "--authpwd",
      "pg-Secret-1",
      "--config",
      userConfig,
    ]);
    expect(token.code).toBe(0);
    const verified = await runCli(BIN.tokenleader, [
      "verify",
      "-t",
      token.stdout.trim(),
      "--json",
      "--config",
      userConfig,
    ]);
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      status: "Verification Successful",
      payload: { sub: { username: "pguser", roles: ["role1"] } },
    });
  });
});

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, Configs } from "@tokenleader/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeClientConfig } from "./support/client-config.js";
import { BIN, type CliRun, runCli } from "./support/processes.js";
import { startTokenleaderServer, type TokenleaderServer } from "./support/server-process.js";

// `tokenleader list/add/delete …` (issue 6 item 5) as real processes against a real server: the
// administrator created on first start manages the organisation, a role1 user is refused.
// Outcomes are checked through an in-process Client where the check itself is not under test
// (each CLI process costs about half a second).

const BOB = { username: "bob", password: "bob-Secret-1", email: "bob@example.org" };

let server: TokenleaderServer;
let dir: string;
/** tl_user admin; password stored by tokenleader-auth. */
let adminConfig: string;
/** tl_user from TL_USER/TL_PASSWORD (user_auth_info_from: OSENV). */
let osenvConfig: string;
/** For checking what the commands did. */
let adminClient: Client;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tl-e2e-admin-cli-"));
  server = await startTokenleaderServer();
  adminConfig = writeClientConfig(dir, "admin", {
    tlUrl: server.url,
    tlUser: "admin",
    publicKey: server.publicKeyLine,
  });
  osenvConfig = writeClientConfig(dir, "osenv", {
    tlUrl: server.url,
    tlUser: "nobody",
    from: "OSENV",
  });
  const auth = await runCli(BIN.tokenleaderAuth, ["--config", adminConfig, "--password-stdin"], {
    input: `${server.adminPassword}\n`,
  });
  if (auth.code !== 0) throw new Error(`tokenleader-auth failed: ${auth.stderr}`);
  adminClient = new Client(new Configs({ configFile: adminConfig }));
});

afterAll(async () => {
  await adminClient?.close();
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const asAdmin = (args: string[], input?: string) =>
  runCli(BIN.tokenleader, [...args, "--config", adminConfig], { input });
const asBob = (args: string[]) =>
  runCli(BIN.tokenleader, [...args, "--config", osenvConfig], {
    env: { TL_USER: BOB.username, TL_PASSWORD: BOB.password },
  });

function expectOk(run: CliRun): void {
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
}

/** A failure: non-zero exit and exactly one line on stderr. */
function expectRefused(run: CliRun): string {
  expect(run.code).not.toBe(0);
  const lines = run.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

const LISTERS = {
  user: () => adminClient.listUsers(),
  org: () => adminClient.listOrg(),
  wfc: () => adminClient.listWfc(),
  service: () => adminClient.listServices(),
};

async function listNames(entity: keyof typeof LISTERS): Promise<string[]> {
  const { status } = await LISTERS[entity]();
  const key = entity === "user" ? "username" : "name";
  return (status as Array<Record<string, unknown>>).map((record) => String(record[key]));
}

describe("tokenleader add/list/delete as the administrator", () => {
  it("adds org, ou, dept and role (readable output is the server's sentence)", async () => {
    const runs = await Promise.all([
      asAdmin(["add", "org", "-n", "acme"]),
      asAdmin(["add", "ou", "-n", "research"]),
      asAdmin(["add", "dept", "-n", "lab"]),
      asAdmin(["add", "role", "-n", "role1", "--json"]),
    ]);
    for (const run of runs) expectOk(run);
    expect(runs.map((r) => r.stdout)).toEqual([
      "acme has been registered.\n",
      "research has been registered.\n",
      "lab has been registered.\n",
      expect.any(String),
    ]);
    expect(JSON.parse(runs[3]!.stdout)).toEqual({ status: "role1 has been registered." });
  });

  it("adds a wfc from --wfcorg/--wfcou/--wfcdept, a user with --password-stdin, and a service", async () => {
    expectOk(
      await asAdmin([
        "add",
        "wfc",
        "-n",
        "wfc-lab",
        "--wfcorg",
        "acme",
        "--wfcou",
        "research",
        "--wfcdept",
        "lab",
      ]),
    );
    const [user, service] = await Promise.all([
      asAdmin(
        [
          "add",
          "user",
          "-n",
          BOB.username,
          "--password-stdin",
          "--emailid",
          BOB.email,
          "--rolenames",
          "role1",
          "--wfc",
          "wfc-lab",
        ],
        `${BOB.password}\n`,
      ),
      asAdmin([
        "add",
        "service",
        "-n",
        "inventory",
        "--urlint",
        "http://inventory.internal:8080",
        "--urlext",
        "https://inventory.example.org",
        "--urladmin",
        "https://admin.example.org/inventory",
      ]),
    ]);
    expectOk(user);
    expect(user.stdout).toBe("bob has been registered.\n");
    expectOk(service);

    const wfcs = (await adminClient.listWfc()).status;
    expect(wfcs).toContainEqual(
      expect.objectContaining({
        name: "wfc-lab",
        org: "acme",
        orgunit: "research",
        department: "lab",
      }),
    );
    expect((await adminClient.getService("inventory")).status).toMatchObject({
      name: "inventory",
      endpoint_url_internal: "http://inventory.internal:8080",
      endpoint_url_external: "https://inventory.example.org",
      endpoint_url_admin: "https://admin.example.org/inventory",
    });
  });

  it("list user --json shows the new user with its roles and wfc; the user can log in", async () => {
    const run = await asAdmin(["list", "user", "--json"]);
    expectOk(run);
    expect(JSON.parse(run.stdout).status).toContainEqual({
      id: expect.any(Number),
      username: "bob",
      email: BOB.email,
      roles: ["role1"],
      wfc: expect.objectContaining({ name: "wfc-lab", org: "acme" }),
    });
    await expect(server.getToken(BOB.username, BOB.password)).resolves.toMatch(/^eyJ/);
  });

  it("the server's refusals: non-zero exit, one line with the reason and the HTTP status", async () => {
    const [duplicate, referenced, unknown, badRole] = await Promise.all([
      asAdmin(["add", "org", "-n", "acme"]),
      asAdmin(["delete", "org", "-n", "acme"]),
      asAdmin(["delete", "role", "-n", "no-such-role"]),
      asAdmin(
        [
          "add",
          "user",
          "-n",
          "carol",
          "--password-stdin",
          "--rolenames",
          "ghost",
          "--wfc",
          "wfc-lab",
        ],
        "carol-password\n",
      ),
    ]);
    expect(expectRefused(duplicate)).toMatch(
      /cannot add org "acme": .*\(HTTP 409 ALREADY_EXISTS\)/,
    );
    expect(expectRefused(referenced)).toMatch(
      /cannot delete org "acme": .*wfc-lab.*\(HTTP 409 STILL_REFERENCED\)/,
    );
    expect(expectRefused(unknown)).toMatch(
      /cannot delete role "no-such-role": .*\(HTTP 404 NOT_FOUND\)/,
    );
    expect(expectRefused(badRole)).toMatch(
      /cannot add user "carol": .*ghost.*\(HTTP 422 UNKNOWN_REFERENCE\)/,
    );
    expect(await listNames("user")).not.toContain("carol");
  });

  it("usage mistakes are caught before anything is sent (exit 2)", async () => {
    // The full set of usage checks is unit-tested in add-delete.test.ts.
    const [noName, foreignFlag] = await Promise.all([
      asAdmin(["delete", "org"]),
      asAdmin(["add", "org", "-n", "x", "--urlint", "http://x"]),
    ]);
    expect(noName.code).toBe(2);
    expect(expectRefused(noName)).toContain("delete org needs a name: -n NAME");
    expect(foreignFlag.code).toBe(2);
    expect(expectRefused(foreignFlag)).toContain('--urlint does not apply to "add org"');
    expect(await listNames("org")).not.toContain("x");
  });
});

describe("a role1 user", () => {
  it("may list users (granted by the sample ACL) but gets a one-line 'forbidden' for add and delete", async () => {
    const [list, add, remove] = await Promise.all([
      asBob(["list", "user", "--json"]),
      asBob(["add", "org", "-n", "bobs-org"]),
      asBob(["delete", "user", "-n", "admin", "--json"]),
    ]);
    expectOk(list);
    expect(expectRefused(add)).toMatch(
      /forbidden: user "bob" may not add org "bobs-org" \(HTTP 403: none of the roles \[role1\] is allowed rule 'tokenleader\.adminops\.add_org'\)/,
    );
    expect(expectRefused(remove)).toContain('forbidden: user "bob" may not delete user "admin"');
    expect(JSON.parse(remove.stdout)).toMatchObject({ error: { code: "AUTH" } });
    expect(await listNames("org")).not.toContain("bobs-org");
    expect(await listNames("user")).toContain("admin");
  });
});

describe("tokenleader update user as the administrator", () => {
  const NEW_PASSWORD = "bob-Changed-2";
  const gettokenAs = (password: string) =>
    runCli(BIN.tokenleader, ["gettoken", "--print-token", "--config", osenvConfig], {
      env: { TL_USER: BOB.username, TL_PASSWORD: password },
    });

  it("changes roles and password: the old password then fails, the new one works with the new roles", async () => {
    const tokenBefore = await server.getToken(BOB.username, BOB.password);
    expectOk(await asAdmin(["add", "role", "-n", "auditor"]));
    const update = await asAdmin(
      [
        "update",
        "user",
        "-n",
        BOB.username,
        "--roles",
        "role1,auditor",
        "--password-stdin",
        "--json",
      ],
      `${NEW_PASSWORD}\n`,
    );
    expectOk(update);
    const { status } = JSON.parse(update.stdout);
    expect(status).toMatchObject({ username: "bob", email: BOB.email });
    expect([...status.roles].sort()).toEqual(["auditor", "role1"]);

    const [oldLogin, newLogin] = await Promise.all([
      gettokenAs(BOB.password),
      gettokenAs(NEW_PASSWORD),
    ]);
    expect(oldLogin.code).toBe(1);
    expect(expectRefused(oldLogin)).toMatch(/^tokenleader: \[AUTH\] login refused: Wrong Password/);
    expectOk(newLogin);
    const verdict = await adminClient.verifyToken(newLogin.stdout.trim());
    expect(verdict.status).toBe("Verification Successful");
    const sub = (verdict.payload as { sub: { roles: string[] } }).sub;
    expect([...sub.roles].sort()).toEqual(["auditor", "role1"]);
    // The token issued before the change is no longer accepted by the server.
    expect((await adminClient.verifyTokenRemote(tokenBefore)).status).not.toBe(
      "Verification Successful",
    );
  });

  it("refusals: an unknown role is the 422 refusal (exit 1, nothing changed), an unknown user 404", async () => {
    const [ghost, nobody, rolesOnly] = await Promise.all([
      asAdmin(["update", "user", "-n", BOB.username, "--roles", "role1,ghost"]),
      asAdmin(["update", "user", "-n", "nobody", "--roles", "role1"]),
      asAdmin(["update", "user", "-n", "admin", "--roles", "admin,nonexistent-role"]),
    ]);
    expect(ghost.code).toBe(1);
    expect(expectRefused(ghost)).toMatch(
      /^tokenleader: \[INVALID_REQUEST\] cannot update user "bob": .*"ghost".*\(HTTP 422 UNKNOWN_REFERENCE\)$/,
    );
    expect(rolesOnly.code).toBe(1);
    expect(nobody.code).toBe(1);
    expect(expectRefused(nobody)).toMatch(
      /^tokenleader: \[NOT_FOUND\] cannot update user "nobody": .*\(HTTP 404 NOT_FOUND\)$/,
    );
    const [bob, admin] = await Promise.all([
      adminClient.getUser(BOB.username),
      adminClient.getUser("admin"),
    ]);
    expect([...(bob.status as { roles: string[] }).roles].sort()).toEqual(["auditor", "role1"]);
    expect((admin.status as { roles: string[] }).roles).toEqual(["admin"]);
  });

  it("readable output: the roles the server now holds; bob keeps his new password", async () => {
    const run = await asAdmin(["update", "user", "-n", BOB.username, "--roles", "role1"]);
    expectOk(run);
    expect(run.stdout).toBe(
      "roles of bob: role1; their login sessions and earlier tokens have ended.\n",
    );
    expectOk(await asAdmin(["delete", "role", "-n", "auditor"]));
    await expect(server.getToken(BOB.username, NEW_PASSWORD)).resolves.toMatch(/^eyJ/);
  });
});

describe("tokenleader revoke user as the administrator", () => {
  // bob's password since the update tests above.
  const BOB_PASSWORD = "bob-Changed-2";

  it("ends bob's tokens at the server: the old one is refused, a fresh login with the same password works", async () => {
    const tokenBefore = await server.getToken(BOB.username, BOB_PASSWORD);
    expect((await adminClient.verifyTokenRemote(tokenBefore)).status).toBe(
      "Verification Successful",
    );
    const revoke = await asAdmin(["revoke", "user", "-n", BOB.username]);
    expectOk(revoke);
    expect(revoke.stdout).toBe("login sessions and tokens of bob ended; they must log in again.\n");

    const refused = await adminClient.verifyTokenRemote(tokenBefore);
    expect(refused.status).toBe("Invalid token");
    // Checked only locally (signature and exp), the token still passes, as the README says.
    expect((await adminClient.verifyToken(tokenBefore)).status).toBe("Verification Successful");
    const fresh = await runCli(
      BIN.tokenleader,
      ["gettoken", "--print-token", "--config", osenvConfig],
      { env: { TL_USER: BOB.username, TL_PASSWORD: BOB_PASSWORD } },
    );
    expectOk(fresh);
    expect((await adminClient.verifyTokenRemote(fresh.stdout.trim())).status).toBe(
      "Verification Successful",
    );
    // Nothing else changed.
    expect((await adminClient.getUser(BOB.username)).status).toMatchObject({
      username: "bob",
      email: BOB.email,
      roles: ["role1"],
    });
  });

  it("--json prints the server's body, the user record", async () => {
    const run = await asAdmin(["revoke", "user", "-n", BOB.username, "--json"]);
    expectOk(run);
    expect(JSON.parse(run.stdout)).toEqual({
      status: expect.objectContaining({ username: "bob", email: BOB.email, roles: ["role1"] }),
    });
  });

  it("an unknown user: exit 1 with the 404 refusal on one line; a role1 user is forbidden", async () => {
    const [nobody, byBob] = await Promise.all([
      asAdmin(["revoke", "user", "-n", "nobody"]),
      runCli(BIN.tokenleader, ["revoke", "user", "-n", "admin", "--config", osenvConfig], {
        env: { TL_USER: BOB.username, TL_PASSWORD: BOB_PASSWORD },
      }),
    ]);
    expect(nobody.code).toBe(1);
    expect(expectRefused(nobody)).toBe(
      'tokenleader: [NOT_FOUND] cannot revoke user "nobody": user "nobody" not found (HTTP 404 NOT_FOUND)',
    );
    expect(byBob.code).toBe(1);
    expect(expectRefused(byBob)).toMatch(
      /forbidden: user "bob" may not revoke user "admin" \(HTTP 403: .*'tokenleader\.adminops\.revoke_user'\)/,
    );
    // The administrator's own stored login still works.
    expectOk(await asAdmin(["list", "user"]));
  });
});

describe("tokenleader delete as the administrator", () => {
  it("deletes the user, service, wfc, role, org, ou and dept; they are gone from the lists", async () => {
    const first = await Promise.all([
      asAdmin(["delete", "user", "-n", "bob"]),
      asAdmin(["delete", "service", "-n", "inventory", "--json"]),
    ]);
    for (const run of first) expectOk(run);
    expect(first[0]!.stdout).toMatch(/^bob has been +deleted successfully\n$/);
    expect(JSON.parse(first[1]!.stdout).status).toMatch(/inventory/);
    for (const run of await Promise.all([
      asAdmin(["delete", "wfc", "-n", "wfc-lab"]),
      asAdmin(["delete", "role", "-n", "role1"]),
    ])) {
      expectOk(run);
    }
    for (const run of await Promise.all([
      asAdmin(["delete", "org", "-n", "acme"]),
      asAdmin(["delete", "ou", "-n", "research"]),
      asAdmin(["delete", "dept", "-n", "lab"]),
    ])) {
      expectOk(run);
    }
    const [users, orgs, services] = await Promise.all([
      listNames("user"),
      listNames("org"),
      listNames("service"),
    ]);
    expect(users).toEqual(["admin"]);
    expect(orgs).toEqual(["default"]);
    expect(services).not.toContain("inventory");
    await expect(server.getToken(BOB.username, BOB.password)).rejects.toThrow(
      "User not registered",
    );
  });
});

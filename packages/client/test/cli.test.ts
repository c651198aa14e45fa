import { spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir } from "./fixtures.js";
import { type OriginalServer, startOriginalServer } from "./original-server.js";

// The CLIs run as real processes from the compiled dist/ (`pnpm exec tsc -b packages/client`;
// the root `pnpm test` builds first).
const DIST = join(import.meta.dirname, "../dist/cli");
const TOKENLEADER = join(DIST, "tokenleader/main.js");
const TOKENLEADER_AUTH = join(DIST, "tokenleader-auth/main.js");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Async spawn: the test server lives in this process, so spawnSync would deadlock. */
function run(
  script: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: { ...process.env, TOKENLEADER_CLIENT_CONFIG: "", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

let tmp: ReturnType<typeof makeTempDir>;
let server: OriginalServer;
let config: string;
let passwordFile: string;

beforeAll(async () => {
  if (!existsSync(TOKENLEADER) || !existsSync(TOKENLEADER_AUTH)) {
    throw new Error("compiled CLIs missing: run `pnpm exec tsc -b packages/client` first");
  }
  tmp = makeTempDir();
  server = await startOriginalServer();
  passwordFile = join(tmp.dir, "tlclient/user_settings.ini");
  config = join(tmp.dir, "client_configs.yml");
  writeFileSync(
    config,
    [
      "user_auth_info_from: file # OSENV or file",
      `user_auth_info_file_location: ${passwordFile}`,
      `fernet_key_file: ${join(tmp.dir, "tlclient/farnetkeys")}`,
      `tl_public_key: ${server.publicKeyLine}`,
      "ssl_verify: False",
      "tl_user: user1",
      `tl_url: ${server.url}`,
      "ssl_verify: True",
      "tl_accept_tokens_without_issuer: yes # the stand-in for 1.8 issues no iss",
      "",
    ].join("\n"),
  );
});
afterAll(async () => {
  await server?.close();
  tmp?.cleanup();
});

describe("tokenleader-auth + tokenleader end to end", () => {
  it("stores the password from stdin (0600), refuses to overwrite without --force", async () => {
    const first = await run(TOKENLEADER_AUTH, ["--config", config, "--password-stdin"], {
      input: "wrong\n",
    });
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toContain(`file ${passwordFile} has been generated`);
    expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
    const stored = readFileSync(passwordFile, "utf8");

    const again = await run(TOKENLEADER_AUTH, ["--config", config, "-p", "user1"]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split("\n")).toHaveLength(1);
    expect(again.stderr).toContain("already exists, delete this file first to generate a new one");
    expect(readFileSync(passwordFile, "utf8")).toBe(stored);

    const forced = await run(
      TOKENLEADER_AUTH,
      ["--config", config, "--password-stdin", "--force"],
      { input: "user1\n" },
    );
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain("has been replaced");
  });

  it("gettoken --print-token prints only the token, which verify accepts locally and remotely", async () => {
    const got = await run(TOKENLEADER, ["gettoken", "--print-token", "--config", config]);
    expect(got.code).toBe(0);
    const token = got.stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(got.stdout).toBe(`${token}\n`);

    const local = await run(TOKENLEADER, ["verify", "-t", token, "--config", config]);
    expect(local.code).toBe(0);
    expect(local.stdout).toContain("status:   Verification Successful");
    expect(local.stdout).toContain("roles:    role1");

    const remote = await run(TOKENLEADER, [
      "verify",
      "--remote",
      "-t",
      token,
      "--json",
      "--config",
      config,
    ]);
    expect(remote.code).toBe(0);
    expect(JSON.parse(remote.stdout)).toMatchObject({
      status: "Verification Successful",
      payload: { sub: { username: "user1" } },
    });
  });

  it("gettoken readable and --json; verify of an expired token exits 1", async () => {
    const readable = await run(TOKENLEADER, ["gettoken", "--config", config]);
    expect(readable.code).toBe(0);
    expect(readable.stdout).toMatch(/^token: {4}ey/);
    expect(readable.stdout).toContain("tokenleader  internal=localhost:5001");
    const json = await run(TOKENLEADER, ["gettoken", "--json", "--config", config]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      status: "success",
      service_catalog: { tokenleader: { id: 1 } },
    });

    const expired = await server.mintToken({ expiresInSec: -5 });
    const verdict = await run(TOKENLEADER, [
      "verify",
      "-t",
      expired,
      "--compat",
      "--config",
      config,
    ]);
    expect(verdict.code).toBe(1);
    expect(JSON.parse(verdict.stdout)).toEqual({
      status: "Signature expired",
      message: "Signature expired. Please log in and get a fresh token and send it for reverify.",
      payload: "Signature expired. Please log in again.",
    });
  });

  it("gettoken --authuser/--authpwd uses the given credentials (a wrong password exits 1)", async () => {
    const wrong = await run(TOKENLEADER, [
      "gettoken",
      "--authuser",
      "user1",
      "--authpwd",
      "bad",
      "--config",
      config,
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(
      "tokenleader: [AUTH] login refused: Wrong Password (Password did not match)\n",
    );
    const right = await run(TOKENLEADER, [
      "gettoken",
      "--authuser",
      "user1",
      "--authpwd",
      "user1",
      "--print-token",
      "--config",
      config,
    ]);
    expect(right.code).toBe(0);
  });

  it("list in both original forms, readable and JSON; an unknown name exits 1", async () => {
    const users = await run(TOKENLEADER, ["list", "user", "--config", config]);
    expect(users.code).toBe(0);
    expect(users.stdout.split("\n")[0]).toMatch(/^id\s+username\s+email\s+roles\s+wfc$/);
    expect(users.stdout).toMatch(/1\s+user1\s+user1\s+role1\s+wfc1/);

    const org = await run(TOKENLEADER, [
      "list",
      "-e",
      "org",
      "-n",
      "org1",
      "--json",
      "--config",
      config,
    ]);
    expect(org.code).toBe(0);
    expect(JSON.parse(org.stdout)).toEqual({ status: { name: "org1" } });

    const one = await run(TOKENLEADER, ["list", "user", "-n", "user1", "--config", config]);
    expect(one.stdout).toMatch(/^username\s+user1$/m);

    const missing = await run(TOKENLEADER, [
      "list",
      "-e",
      "user",
      "-n",
      "nobody",
      "--config",
      config,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(
      'tokenleader: [NOT_FOUND] user "nobody": No such record is found\n',
    );

    const services = await run(TOKENLEADER, ["list", "service", "--json", "--config", config]);
    expect(JSON.parse(services.stdout).status[0].name).toBe("tokenleader");
  });
});

describe("CLI failures: non-zero exit, one line on stderr", () => {
  it("a missing config file points to tokenleader-auth --help", async () => {
    const r = await run(TOKENLEADER, ["gettoken", "--config", join(tmp.dir, "none.yml")]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("tokenleader-auth --help");
    const help = await run(TOKENLEADER_AUTH, ["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("user_auth_info_file_location:");
  });

  it("the config is also found through TOKENLEADER_CLIENT_CONFIG", async () => {
    const r = await run(TOKENLEADER, ["gettoken", "--print-token"], {
      env: { TOKENLEADER_CLIENT_CONFIG: config },
    });
    expect(r.code).toBe(0);
  });

  it("an unreachable server gives [NETWORK], and --compat the original's error dict", async () => {
    const down = join(tmp.dir, "down.yml");
    writeFileSync(down, readFileSync(config, "utf8").replace(server.url, "http://127.0.0.1:1"));
    const r = await run(TOKENLEADER, ["gettoken", "--compat", "--config", down]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatch(/^could not conect to server , the error is /);
    expect(r.stderr).toMatch(/^tokenleader: \[NETWORK\] /);
  });

  it("usage errors exit 2", async () => {
    const runs = await Promise.all([
      run(TOKENLEADER, []),
      run(TOKENLEADER, ["verify", "--config", config]),
      run(TOKENLEADER, ["frobnicate"]),
      run(TOKENLEADER_AUTH, ["--bogus"]),
      run(TOKENLEADER, ["list", "planets", "--config", config]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs[4]!.stderr).toMatch(/unknown entity "planets"/);
    expect(runs[1]!.stderr).toMatch(/^tokenleader: Missing required argument: token/);
  });
});

describe("server refusals have their own codes", () => {
  it("a 403 shows the server's code and reason, not the enforcer's generic message; --json keeps them", async () => {
    const reason = "none of the roles [role1] is allowed rule 'tokenleader.catalog.list_services'";
    const message = `GET ${server.url}/list/service/forbidden: HTTP 403 RULE_NOT_GRANTED: ${reason}`;
    const r = await run(TOKENLEADER, ["list", "service", "-n", "forbidden", "--config", config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`tokenleader: [AUTH] ${message}\n`);
    const json = await run(TOKENLEADER, [
      "list",
      "service",
      "-n",
      "forbidden",
      "--json",
      "--config",
      config,
    ]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: "AUTH", message, httpStatus: 403, serverCode: "RULE_NOT_GRANTED", reason },
    });
  });

  it("a 404 with a JSON body is [NOT_FOUND] with the server's sentence first", async () => {
    const r = await run(TOKENLEADER, ["list", "service", "-n", "nope", "--config", config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `tokenleader: [NOT_FOUND] service "nope" not found (HTTP 404 from GET ${server.url}/list/service/nope)\n`,
    );
    const json = await run(TOKENLEADER, [
      "list",
      "service",
      "-n",
      "nope",
      "--json",
      "--config",
      config,
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: "NOT_FOUND" } });
  });

  it("a 409 is [CONFLICT], worded for the action", async () => {
    const r = await run(TOKENLEADER, ["add", "org", "-n", "taken", "--config", config]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'tokenleader: [CONFLICT] cannot add org "taken": org "taken" already exists (HTTP 409 ALREADY_EXISTS)\n',
    );
  });
});

describe("tokenleader update user", () => {
  const update = (args: string[], input?: string) =>
    run(TOKENLEADER, ["update", "user", "-n", "user1", ...args, "--config", config], { input });

  it("--roles: one readable line with the roles the server now holds; --json prints its body", async () => {
    const readable = await update(["--roles", "role1,role2"]);
    expect(readable).toMatchObject({ code: 0, stderr: "" });
    expect(readable.stdout).toBe(
      "roles of user1: role1, role2; their login sessions and earlier tokens have ended.\n",
    );
    const json = await update(["--roles", "role1", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      status: expect.objectContaining({ username: "user1", roles: ["role1"] }),
    });
  });

  it('--password-stdin with --roles "": the password and an empty role list are sent', async () => {
    const before = server.stats.adminCalls.length;
    const r = await update(["--password-stdin", "--roles", ""], "n3w-pw\n");
    expect(r).toMatchObject({ code: 0, stderr: "" });
    expect(r.stdout).toBe(
      "password of user1 changed; roles of user1: (none); their login sessions and earlier tokens have ended.\n",
    );
    expect(server.stats.adminCalls.slice(before)).toEqual([
      {
        method: "POST",
        url: "/update/user",
        body: { username: "user1", password: "n3w-pw", roles: [] },
      },
    ]);
  });

  it("an unknown role: exit 1, one line with the server's reason (HTTP 422)", async () => {
    const r = await update(["--roles", "role1,ghost"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'tokenleader: [INVALID_REQUEST] cannot update user "user1": cannot change the roles of user "user1": role "ghost" does not exist; create it first (HTTP 422 UNKNOWN_REFERENCE)\n',
    );
  });

  it("nothing to change, a bare --roles, or another entity: usage errors (exit 2), nothing sent", async () => {
    const before = server.stats.adminCalls.length;
    const [nothing, bareRoles, org] = await Promise.all([
      update([]),
      update(["--roles"]),
      run(TOKENLEADER, ["update", "org", "-n", "org1", "--roles", "r", "--config", config]),
    ]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toBe(
      'tokenleader: nothing to change for user "user1": give --roles r1,r2 (--roles "" for none) and/or a new password with --password-stdin, or run in a terminal to be prompted (see "tokenleader --help")\n',
    );
    expect(bareRoles.code).toBe(2);
    expect(bareRoles.stderr).toMatch(/^tokenleader: Not enough arguments following: roles/);
    expect(org.code).toBe(2);
    expect(org.stderr).toMatch(/^tokenleader: only users can be updated \("org" cannot\)/);
    expect(server.stats.adminCalls.length).toBe(before);
  });

  it("is listed in the help, with its options and examples", async () => {
    const [top, own] = await Promise.all([
      run(TOKENLEADER, ["--help"]),
      run(TOKENLEADER, ["update", "--help"]),
    ]);
    expect(top.stdout).toMatch(
      /tokenleader update \[entity\]\s+change a user's password and\/or roles/,
    );
    expect(own.code).toBe(0);
    for (const text of [
      "--roles",
      "--password-stdin",
      "--password ",
      'update user -n user1 --roles ""',
    ]) {
      expect(own.stdout).toContain(text);
    }
  });
});

describe("tokenleader revoke user", () => {
  const revoke = (args: string[]) => run(TOKENLEADER, ["revoke", ...args, "--config", config]);

  it("one readable line; --json prints the server's body; the name is sent as username", async () => {
    const before = server.stats.adminCalls.length;
    const [readable, json] = await Promise.all([
      revoke(["user", "-n", "user1"]),
      revoke(["users", "--name", "user1", "--json"]),
    ]);
    expect(readable).toEqual({
      code: 0,
      stderr: "",
      stdout: "login sessions and tokens of user1 ended; they must log in again.\n",
    });
    expect(json).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(json.stdout)).toEqual({
      status: expect.objectContaining({ username: "user1", roles: ["role1"] }),
    });
    expect(server.stats.adminCalls.slice(before)).toEqual([
      { method: "POST", url: "/revoke/user", body: { username: "user1" } },
      { method: "POST", url: "/revoke/user", body: { username: "user1" } },
    ]);
  });

  it("an unknown user: exit 1, one line with the server's reason (HTTP 404); --json gives the error", async () => {
    const [readable, json] = await Promise.all([
      revoke(["user", "-n", "nobody"]),
      revoke(["user", "-n", "nobody", "--json"]),
    ]);
    expect(readable).toEqual({
      code: 1,
      stdout: "",
      stderr:
        'tokenleader: [NOT_FOUND] cannot revoke user "nobody": user "nobody" not found (HTTP 404 NOT_FOUND)\n',
    });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      error: { code: "NOT_FOUND", httpStatus: 404, serverCode: "NOT_FOUND" },
    });
  });

  it("no entity, another entity, or no -n: usage errors (exit 2), nothing sent", async () => {
    const before = server.stats.adminCalls.length;
    const [noEntity, org, noName, blankName] = await Promise.all([
      revoke(["-n", "user1"]),
      revoke(["org", "-n", "org1"]),
      revoke(["user"]),
      revoke(["user", "-n", " "]),
    ]);
    expect(noEntity).toMatchObject({ code: 2, stdout: "" });
    expect(noEntity.stderr).toBe(
      'tokenleader: say whose tokens to revoke: tokenleader revoke user -n NAME (see "tokenleader --help")\n',
    );
    expect(org).toMatchObject({ code: 2, stdout: "" });
    expect(org.stderr).toBe(
      'tokenleader: only a user\'s tokens can be revoked ("org" cannot): tokenleader revoke user -n NAME (see "tokenleader --help")\n',
    );
    for (const missing of [noName, blankName]) {
      expect(missing).toMatchObject({ code: 2, stdout: "" });
      expect(missing.stderr).toBe(
        'tokenleader: revoke user needs a name: -n NAME (see "tokenleader --help")\n',
      );
    }
    expect(server.stats.adminCalls.length).toBe(before);
  });

  it("is listed in the help, with an example", async () => {
    const [top, own] = await Promise.all([
      run(TOKENLEADER, ["--help"]),
      run(TOKENLEADER, ["revoke", "--help"]),
    ]);
    expect(top.stdout).toMatch(/tokenleader revoke \[entity\]\s+log a user out everywhere/);
    expect(own.code).toBe(0);
    expect(own.stdout).toContain("--name");
    expect(own.stdout).toContain("tokenleader revoke user -n user1");
    expect(own.stdout).toContain("same password");
  });
});

describe("list names one entity", () => {
  it("naming two different entities (positional and -e, or -e twice) is a usage error naming both", async () => {
    const [mixed, twice, same] = await Promise.all([
      run(TOKENLEADER, ["list", "user", "-e", "org", "--config", config]),
      run(TOKENLEADER, ["list", "-e", "org", "--entity", "role", "--config", config]),
      run(TOKENLEADER, ["list", "users", "-e", "user", "--json", "--config", config]),
    ]);
    expect(mixed.code).toBe(2);
    expect(mixed.stdout).toBe("");
    expect(mixed.stderr).toBe(
      'tokenleader: conflicting entities "user" and "org": name one, as "list <entity>" or "list -e <entity>" (see "tokenleader --help")\n',
    );
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/^tokenleader: conflicting entities "org" and "role"/);
    // The same entity twice (alias included) is not a conflict.
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout).status[0].username).toBe("user1");
  });
});

describe("verify when the signing keys cannot be fetched (no tl_public_key, server down)", () => {
  let downConfig: string;
  let downUrl: string;
  beforeAll(async () => {
    // A port nothing listens on (bound, then released).
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    downUrl = `http://127.0.0.1:${port}`;
    // JWKS mode, and the original sample's ssl_verify: False with an http:// URL.
    downConfig = join(tmp.dir, "jwks-down.yml");
    writeFileSync(
      downConfig,
      ["user_auth_info_from: OSENV", `tl_url: ${downUrl}`, "ssl_verify: False", ""].join("\n"),
    );
  });

  it("exits 3 with one [NETWORK] line and no verdict, instead of calling the token invalid", async () => {
    const token = await server.mintToken();
    const r = await run(TOKENLEADER, ["verify", "-t", token, "--config", downConfig]);
    expect(r).toEqual({
      code: 3,
      stdout: "",
      stderr: `tokenleader: [NETWORK] GET ${downUrl}/.well-known/jwks.json: cannot connect (ECONNREFUSED); the token could not be checked: its signing keys are unavailable\n`,
    });
    const json = await run(TOKENLEADER, ["verify", "-t", token, "--json", "--config", downConfig]);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: "NETWORK" } });
    expect(json.stdout).not.toContain("Invalid token");
  });

  it("--remote with the server down exits 3 too; a token judged without keys still exits 1", async () => {
    const [remote, junk] = await Promise.all([
      run(TOKENLEADER, ["verify", "--remote", "-t", "x.y.z", "--config", downConfig]),
      run(TOKENLEADER, ["verify", "-t", "not-a-jwt", "--config", downConfig]),
    ]);
    expect(remote.code).toBe(3);
    expect(remote.stderr).toBe(
      `tokenleader: [NETWORK] GET ${downUrl}/token/verify_token: cannot connect (ECONNREFUSED)\n`,
    );
    expect(junk.code).toBe(1);
    expect(junk.stdout).toContain("status:   Invalid token");
  });

  it("documents the exit statuses in verify --help", async () => {
    const help = await run(TOKENLEADER, ["verify", "--help"]);
    expect(help.stdout).toMatch(
      /Exit status: 0 valid; 1 expired or invalid; 2 usage error; 3 not checked/,
    );
  });
});

describe("ssl_verify: False", () => {
  it("gives no warning when tl_url is http:// (nothing to verify)", async () => {
    const plain = join(tmp.dir, "plain-http.yml");
    writeFileSync(
      plain,
      readFileSync(config, "utf8").replace("ssl_verify: True", "ssl_verify: False"),
    );
    const r = await run(TOKENLEADER, ["gettoken", "--print-token", "--config", plain]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });
});

describe("--timeout SECONDS", () => {
  let silent: Server;
  const sockets = new Set<Socket>();
  let silentConfig: string;
  beforeAll(async () => {
    // Accepts connections and never answers.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as { port: number };
    silentConfig = join(tmp.dir, "silent.yml");
    writeFileSync(
      silentConfig,
      readFileSync(config, "utf8").replace(server.url, `http://127.0.0.1:${port}`),
    );
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("gives up after the given time with [TIMEOUT]", async () => {
    const started = Date.now();
    const r = await run(TOKENLEADER, ["gettoken", "--timeout", "0.5", "--config", silentConfig]);
    const elapsed = Date.now() - started;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^tokenleader: \[TIMEOUT\] POST http:\/\/127\.0\.0\.1:\d+\/token\/gettoken: no answer within 500 ms\n$/,
    );
    // Well under the default 10 s (process start included).
    expect(elapsed).toBeLessThan(5_000);
  });

  it("is documented with its default, and anything but a positive number is a usage error", async () => {
    const help = await run(TOKENLEADER, ["--help"]);
    expect(help.stdout).toMatch(
      /--timeout\s+seconds to wait for each answer of the server\s+\[number\] \[default: 10\]/,
    );
    const runs = await Promise.all(
      ["0", "-1", "soon", "", "99999"].map((value) =>
        run(TOKENLEADER, ["gettoken", "--timeout", value, "--config", silentConfig]),
      ),
    );
    for (const r of runs) {
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^tokenleader: --timeout must be a number of seconds above 0 and at most 3600/,
      );
    }
  });
});

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client, Configs, VERIFY_STATUS } from "@tokenleader/client";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeClientConfig } from "./support/client-config.js";
import { BIN, cleanEnv, freePort, runCli, runProcess } from "./support/processes.js";
import { startTokenleaderServer, type TokenleaderServer } from "./support/server-process.js";

// Issue 17, points 3 and 5 against a real tokenleader-server process with `[token] profile =
// standard`: tokens asked for one service of the catalog (CLI and Client), an enforcer with
// `audience` (the enforcer README's example, run as written), and standard-profile tokens read by
// jose's jwtVerify, the Client, /token/verify_token and the enforcer.

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

let server: TokenleaderServer;
let dir: string;
let config: string;
let client: Client;
const children: ChildProcess[] = [];
const scripts: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tl-e2e-aud-"));
  server = await startTokenleaderServer({ ini: { token: ["profile = standard"] } });
  const adminToken = await server.getToken("admin", server.adminPassword);
  for (const name of ["inventory", "billing"]) {
    const res = await fetch(`${server.url}/add/service`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Auth-Token": adminToken },
      body: JSON.stringify({ name, urlint: `http://${name}.internal` }),
    });
    if (res.status !== 201) throw new Error(`add service ${name}: ${res.status}`);
  }
  config = writeClientConfig(dir, "admin", { tlUrl: server.url, tlUser: "admin" });
  const auth = await runCli(BIN.tokenleaderAuth, ["--config", config, "--password-stdin"], {
    input: `${server.adminPassword}\n`,
  });
  if (auth.code !== 0) throw new Error(`tokenleader-auth: ${auth.stderr}`);
  client = new Client(new Configs({ configFile: config }));
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill();
  await client?.close();
  await server?.stop();
  for (const script of scripts) await rm(script, { force: true });
  if (dir) await rm(dir, { recursive: true, force: true });
});

const tokenleader = (args: string[]) => runCli(BIN.tokenleader, [...args, "--config", config]);

/** The first ```js block after `heading` in a package's README. */
async function readmeExample(pkg: string, heading: string): Promise<string> {
  const readme = await readFile(root(`packages/${pkg}/README.md`), "utf8");
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, `${pkg}/README.md has no "${heading}"`).toBeGreaterThan(0);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(start));
  return block![1]!;
}

/** Writes an example inside its package (so the package and its dependencies resolve). */
async function exampleScript(pkg: string, code: string): Promise<string> {
  const script = root(`packages/${pkg}/.readme-audience-${process.pid}.mjs`);
  scripts.push(script);
  await writeFile(script, code);
  return script;
}

describe("tokens for one service, standard profile, real server", () => {
  it("tokenleader gettoken --service prints a standard-profile token for that service; an unknown service exits 1 naming it", async () => {
    const run = await tokenleader(["gettoken", "--service", "inventory", "--print-token"]);
    expect(run.code, run.stderr).toBe(0);
    const claims = decodeJwt(run.stdout.trim());
    expect(claims.aud).toBe("inventory");
    expect(typeof claims.sub).toBe("string");
    expect(claims["tokenleader"]).toMatchObject({ id: Number(claims.sub), username: "admin" });

    const unknown = await tokenleader(["gettoken", "--service", "payroll"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/service "payroll" is not in the service catalog/);
    expect(unknown.stdout).not.toMatch(/eyJ/);
  });

  it("client.getToken({ service }): unknown service is an INVALID_REQUEST naming it", async () => {
    await expect(client.getToken({ service: "payroll" })).rejects.toMatchObject({
      code: "INVALID_REQUEST",
      httpStatus: 400,
      message: expect.stringContaining('"payroll"'),
    });
  });

  it("a standard-profile token verifies with jose's jwtVerify (string sub), the Client and /token/verify_token", async () => {
    const { auth_token: token } = await client.getTokenOrThrow({ service: "inventory" });
    const jwks = createRemoteJWKSet(new URL(`${server.url}/.well-known/jwks.json`));
    const { payload } = await jwtVerify(token, jwks, { audience: "inventory" });
    expect(payload.sub).toMatch(/^\d+$/);
    await expect(jwtVerify(token, jwks, { audience: "billing" })).rejects.toThrow(/aud/);

    // The tokenleader readers give the user object in `sub`, whichever profile issued the token.
    const local = await client.verifyToken(token);
    expect(local.status).toBe(VERIFY_STATUS.success);
    expect(local.payload).toMatchObject({ aud: "inventory", sub: { username: "admin" } });
    const remote = await client.verifyTokenRemote(token);
    expect(remote.status).toBe(VERIFY_STATUS.success);
    expect(remote.payload).toMatchObject({ sub: { id: Number(payload.sub), username: "admin" } });

    const ask = (query: string) =>
      fetch(`${server.url}/token/verify_token${query}`, { headers: { "X-Auth-Token": token } });
    expect((await ask("?audience=inventory")).status).toBe(200);
    const refused = await ask("?audience=billing");
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { status: string }).status).toBe(VERIFY_STATUS.invalid);
  });

  it("the client README example runs as written", async () => {
    const script = await exampleScript(
      "client",
      await readmeExample("client", "## Tokens for one service"),
    );
    const run = await runProcess(process.execPath, [script], {
      env: cleanEnv({ TOKENLEADER_CLIENT_CONFIG: config }),
    });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("inventory admin\n");
  });

  it("the enforcer README example (audience inventory) admits inventory's token, refuses billing's and one without aud", async () => {
    await writeFile(
      join(dir, "role_to_acl_map.yml"),
      "- name: role1\n  allow:\n    - inventory.items.read\n",
    );
    const code = await readmeExample("enforcer", "## Tokens for one service (`audience`)");
    const script = await exampleScript("enforcer", code);
    const port = await freePort();
    const child = spawn(process.execPath, [script], {
      cwd: dir,
      env: cleanEnv({ PORT: String(port), TL_JWKS_URL: `${server.url}/.well-known/jwks.json` }),
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    children.push(child);

    const [inventory, billing, none] = await Promise.all([
      client.getTokenOrThrow({ service: "inventory" }),
      client.getTokenOrThrow({ service: "billing" }),
      client.getTokenOrThrow(),
    ]);
    const ask = (token: string) =>
      fetch(`http://127.0.0.1:${port}/items`, { headers: { "X-Auth-Token": token } });
    let first: Response | undefined;
    for (let i = 0; i < 150 && !first; i++) {
      first = await ask(inventory.auth_token).catch(() => undefined);
      if (!first) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(first, `example did not start: ${stderr}`).toBeDefined();
    // The bootstrap admin holds the super-role `admin`, granted every rule.
    expect(first!.status).toBe(200);
    expect(await first!.json()).toEqual({ user: "admin" });

    const other = await ask(billing.auth_token);
    expect(other.status).toBe(401);
    expect(await other.json()).toMatchObject({
      code: "TOKEN_INVALID",
      reason: 'the token is issued for another service (aud: billing), not for "inventory"',
    });
    const unbound = await ask(none.auth_token);
    expect(unbound.status).toBe(401);
    expect(((await unbound.json()) as { reason: string }).reason).toMatch(
      /not issued for a service \(no aud\)/,
    );
  });
});

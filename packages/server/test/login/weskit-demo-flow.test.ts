import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CookieJar } from "./cookie-jar.js";
import { SAMPLE_USERS_YAML } from "./login-test-server.js";

// The WESkit demo client's sequence (reference §8, API_demo_Requests.py) against the compiled
// `tokenleader-server` as a real process: probe without login, bad login, good login, probe,
// refresh WITH the CSRF header (the demo forgot it), logout, probe after logout — and the old
// tokens replayed after logout are refused, also by /token/verify_token.
// Uses dist/: build first (`pnpm exec tsc -b packages/server`; the root `pnpm test` does).

const MAIN = fileURLToPath(new URL("../../dist/cli/tokenleader-server/main.js", import.meta.url));
const SAMPLE_ACL_MAP = fileURLToPath(
  new URL("../../../../etc/role_to_acl_map.yml", import.meta.url),
);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** fetch with a cookie jar, as the demo's requests.Session. */
class Session {
  readonly jar = new CookieJar();
  constructor(readonly base: string) {}

  async call(method: "GET" | "POST", path: string, init: { json?: unknown; csrf?: string } = {}) {
    const headers: Record<string, string> = {};
    const cookie = this.jar.header(path);
    if (cookie) headers.cookie = cookie;
    if (init.csrf) {
      const value = this.jar.get(init.csrf)?.value;
      if (value) headers["x-csrf-token"] = value;
    }
    if (init.json !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      redirect: "manual",
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
    this.jar.store(response.headers.getSetCookie());
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: response.status, body };
  }

  /** tryApiEndpoints of the demo, adapted: user_status (both paths), refresh, logout. */
  async probe(options: { refreshCsrf: boolean; logout: boolean }) {
    return {
      status: await this.call("GET", "/ga4gh/wes/user_status"),
      statusShort: await this.call("GET", "/user_status"),
      refresh: await this.call(
        "POST",
        "/refresh",
        options.refreshCsrf ? { csrf: "csrf_refresh_token" } : {},
      ),
      ...(options.logout ? { logout: await this.call("GET", "/logout") } : {}),
    };
  }
}

describe("WESkit demo flow against a real tokenleader-server process", () => {
  let dir: string;
  let child: ChildProcess | null = null;
  let output = "";
  let base = "";

  beforeAll(async () => {
    if (!existsSync(MAIN)) {
      throw new Error(`${MAIN} is missing: build first with pnpm exec tsc -b packages/server`);
    }
    dir = await mkdtemp(join(tmpdir(), "tl-weskit-demo-"));
    const port = await freePort();
    await writeFile(join(dir, "users.yaml"), SAMPLE_USERS_YAML);
    // The admin API (same server) needs its ACL map beside the settings file.
    await copyFile(SAMPLE_ACL_MAP, join(dir, "role_to_acl_map.yml"));
    const config = join(dir, "tokenleader_settings.ini");
    await writeFile(
      config,
      [
        "[flask_default]",
        "\thost_name = 127.0.0.1",
        `\thost_port = ${port}`,
        "[server]",
        `\tdata_dir = ${join(dir, "data")}`,
        "[passwords]",
        "\tmemory_cost = 7168",
        "\ttime_cost = 5",
        "[login]",
        "\tenabled = true",
        "[local_auth]",
        "\tusers_file = users.yaml",
        "",
      ].join("\n"),
    );
    child = spawn(process.execPath, [MAIN, "--config", config], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, TOKENLEADER_CONFIG: "" },
    });
    child.stdout!.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr!.on("data", (chunk) => {
      output += chunk;
    });
    const deadline = Date.now() + 30_000;
    while (!output.includes("tokenleader-server listening")) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`the server did not start:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    base = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  });

  it("runs the demo sequence; after logout the old access and refresh tokens are rejected", async () => {
    const session = new Session(base);

    // 1. Probe without logging in: 401s, logout too (the original claimed success: 200).
    const anonymous = await session.probe({ refreshCsrf: false, logout: true });
    expect(anonymous.status.status).toBe(401);
    expect(anonymous.status.body).toMatchObject({ msg: 'Missing cookie "access_token_cookie"' });
    expect(anonymous.statusShort.status).toBe(401);
    expect(anonymous.refresh.status).toBe(401);
    expect(anonymous.logout).toEqual({
      status: 401,
      body: {
        msg: 'Missing cookie "access_token_cookie" or "refresh_token_cookie"',
        code: "COOKIE_MISSING",
      },
    });

    // 2. A stranger: 403 {"login": false}, still 401s.
    const bad = await session.call("POST", "/login", {
      json: { username: "stranger", password: "awierdPassword" },
    });
    expect(bad).toEqual({ status: 403, body: { login: false } });
    expect((await session.call("GET", "/ga4gh/wes/user_status")).status).toBe(401);

    // 3. test/test: 200 {"login": true}; the probe succeeds, /refresh too (with the header).
    const good = await session.call("POST", "/login", {
      json: { username: "test", password: "test" },
    });
    expect(good).toEqual({ status: 200, body: { login: true } });
    const loggedIn = await session.probe({ refreshCsrf: true, logout: false });
    expect(loggedIn.status).toEqual({
      status: 200,
      body: { currentUser: "test", UserRoles: ["Admin", "default"], "Current authmethod": "local" },
    });
    expect(loggedIn.statusShort.status).toBe(200);
    expect(loggedIn.refresh).toEqual({ status: 200, body: { refresh: true } });
    // The demo's own mistake (no X-CSRF-TOKEN) is refused with the original's message.
    const noHeader = await session.call("POST", "/refresh");
    expect(noHeader).toMatchObject({ status: 401, body: { msg: "Missing CSRF token" } });

    // The access cookie is a bearer token the token server itself accepts.
    const access = session.jar.get("access_token_cookie")!.value;
    const refreshCookie = session.jar.get("refresh_token_cookie")!.value;
    const verified = await fetch(`${base}/token/verify_token`, {
      headers: { "X-Auth-Token": access },
    });
    expect(verified.status).toBe(200);
    expect(((await verified.json()) as { payload: { sub: unknown } }).payload.sub).toMatchObject({
      username: "test",
      roles: ["Admin", "default"],
    });
    const oldJar = session.jar.clone();

    // 4. Logout, then probe after logout: 401s again.
    expect(await session.call("GET", "/logout")).toEqual({ status: 200, body: { logout: true } });
    const after = await session.probe({ refreshCsrf: true, logout: false });
    expect(after.status.status).toBe(401);
    expect(after.refresh.status).toBe(401);

    // Replaying the cookies from before the logout: refused (the original accepted them).
    const replay = new Session(base);
    Object.assign(replay, { jar: oldJar });
    const replayed = await replay.probe({ refreshCsrf: true, logout: false });
    expect(replayed.status).toMatchObject({ status: 401, body: { code: "SESSION_ENDED" } });
    expect(replayed.refresh.status).toBe(401);
    const verifyAfter = await fetch(`${base}/token/verify_token`, {
      headers: { "X-Auth-Token": access },
    });
    expect(verifyAfter.status).toBe(401);
    expect(((await verifyAfter.json()) as { status: string }).status).toBe("Invalid token");
    const verifyRefresh = await fetch(`${base}/token/verify_token`, {
      headers: { "X-Auth-Token": refreshCookie },
    });
    expect(verifyRefresh.status).toBe(401);

    // Nothing secret reached the log.
    expect(output).not.toContain(access);
    expect(output).not.toContain('"password":"test"');
  });
});

import { type ChildProcess, spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync } from "node:fs";
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatedKeyFiles } from "../src/keys/index.js";

// The compiled `tokenleader-server` as a real process: first start (migrations, key, admin
// password on the console), a token over real HTTP, and a graceful SIGTERM that lets an
// in-flight request finish. Uses dist/: build first (`pnpm exec tsc -b packages/server`;
// the root `pnpm test` does).

const MAIN = fileURLToPath(new URL("../dist/cli/tokenleader-server/main.js", import.meta.url));
const ADMINOPS = fileURLToPath(new URL("../dist/cli/adminops/main.js", import.meta.url));
const SAMPLE_ACL_MAP = fileURLToPath(new URL("../../../etc/role_to_acl_map.yml", import.meta.url));

interface Started {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

function startProcess(args: string[], main = MAIN): Started {
  if (!existsSync(main)) {
    throw new Error(`${main} is missing: build first with pnpm exec tsc -b packages/server`);
  }
  const child = spawn(process.execPath, [main, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, TOKENLEADER_CONFIG: "" },
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr!.on("data", (chunk) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Runs the compiled adminops to its end. */
function runAdminops(
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startProcess(args, ADMINOPS);
  return run.exited.then((code) => ({ code, stdout: run.stdout(), stderr: run.stderr() }));
}

/** A settings file for a server on `port` keeping its data in `dataDir`, with a key in place. */
async function prepareServer(
  dir: string,
  name: string,
  port: number,
  serverLines: string[] = [],
): Promise<{ config: string; dataDir: string }> {
  const dataDir = join(dir, `${name}-data`);
  // A key already in place: RSA generation at first start is covered by the first test.
  const { privateKeyFile } = generatedKeyFiles(dataDir, "rsa");
  await mkdir(join(dataDir, "keys"), { recursive: true, mode: 0o700 });
  await writeFile(
    privateKeyFile,
    generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString(),
    { mode: 0o600 },
  );
  const config = join(dir, `${name}.ini`);
  await writeFile(
    config,
    [
      "[flask_default]",
      "\thost_name = 127.0.0.1",
      `\thost_port = ${port}`,
      "[server]",
      `\tdata_dir = ${dataDir}`,
      ...serverLines.map((line) => `\t${line}`),
      "",
    ].join("\n"),
  );
  return { config, dataDir };
}

async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

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

describe("tokenleader-server process", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tl-process-"));
    // The admin API's ACL map is read from beside the settings file by default.
    await copyFile(SAMPLE_ACL_MAP, join(dir, "role_to_acl_map.yml"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("first start prints the admin password; a token is issued and verified; SIGTERM finishes an in-flight request and exits 0", async () => {
    const port = await freePort();
    const config = join(dir, "tokenleader_settings.ini");
    await writeFile(
      config,
      [
        "[flask_default]",
        "\thost_name = 127.0.0.1",
        `\thost_port = ${port}`,
        "[server]",
        `\tdata_dir = ${join(dir, "data")}`,
        "\tshutdown_timeout = 10",
        "",
      ].join("\n"),
    );
    const server = startProcess(["--config", config]);
    try {
      await waitFor(
        () =>
          server.stdout().includes("tokenleader-server listening") ||
          server.child.exitCode !== null,
        "the server to listen",
      );
      expect(server.stderr()).toBe("");
      const password = /password: (\S+)/.exec(server.stdout())?.[1];
      expect(password).toMatch(/^[A-Za-z0-9]{20,}$/);
      // The log lines never carry the password.
      const logLines = server
        .stdout()
        .split("\n")
        .filter((line) => line.startsWith("{"));
      expect(logLines.length).toBeGreaterThan(0);
      expect(logLines.join("\n")).not.toContain(password!);

      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/token/gettoken`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password }),
      });
      expect(login.status).toBe(201);
      const token = ((await login.json()) as { auth_token: string }).auth_token;
      const verified = await fetch(`${base}/token/verify_token`, {
        headers: { "X-Auth-Token": token },
      });
      expect(verified.status).toBe(200);
      expect(((await verified.json()) as { status: string }).status).toBe(
        "Verification Successful",
      );
      expect(server.stdout()).not.toContain(token);

      // An in-flight request: headers and half the body sent before SIGTERM, the rest after.
      const body = JSON.stringify({ username: "admin", password });
      const socket = connect(port, "127.0.0.1");
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      let response = "";
      socket.on("data", (chunk) => {
        response += chunk;
      });
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      socket.write(
        `POST /token/gettoken HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
      );
      await new Promise((r) => setTimeout(r, 300));
      server.child.kill("SIGTERM");
      await waitFor(() => server.stdout().includes("shutting down"), "the shutdown to start");
      // No new connections once shutting down (a connection kept alive from the requests above
      // would still be answered, with Connection: close).
      await expect(
        new Promise((resolve, reject) => {
          const probe = connect(port, "127.0.0.1");
          probe.once("connect", () => resolve(probe.destroy()));
          probe.once("error", reject);
        }),
      ).rejects.toThrow(/ECONNREFUSED/);
      socket.write(body.slice(10));
      await waitFor(() => /\r\n\r\n.*\}/s.test(response), "the in-flight response");
      expect(response).toMatch(/^HTTP\/1\.1 201 /);
      expect(response).toContain('"status":"success"');
      socket.end();
      await closed;
      expect(await server.exited).toBe(0);
      expect(server.stdout()).toContain('"msg":"stopped"');
    } finally {
      server.child.kill("SIGKILL");
    }
  });

  it("refuses to start with an unreadable key file: one line naming the file and the fix, exit 2", async () => {
    const missing = join(dir, "no-such-key");
    const config = join(dir, "bad-key.ini");
    await writeFile(
      config,
      `[server]\n\tdata_dir = ${join(dir, "data-bad")}\n[token]\n\tprivate_key_file_location = ${missing}\n`,
    );
    const server = startProcess(["--config", config, "--port", String(await freePort())]);
    expect(await server.exited).toBe(2);
    const lines = server.stderr().trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(missing);
    expect(lines[0]).toContain("ssh-keygen -m PEM -t rsa -b 4096");
  });

  it("shutdown_timeout bounds the shutdown: a request that never finishes is cut off, exit 1", async () => {
    const port = await freePort();
    const { config } = await prepareServer(dir, "slow-client", port, ["shutdown_timeout = 1"]);
    const server = startProcess(["--config", config]);
    try {
      await waitFor(
        () =>
          server.stdout().includes("tokenleader-server listening") ||
          server.child.exitCode !== null,
        "the server to listen",
      );
      // An in-flight request whose body never arrives.
      const socket = connect(port, "127.0.0.1");
      socket.on("error", () => {});
      await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
      socket.write(
        "POST /token/gettoken HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
      );
      await new Promise((r) => setTimeout(r, 300));
      const signalled = Date.now();
      server.child.kill("SIGTERM");
      expect(await server.exited).toBe(1);
      const took = Date.now() - signalled;
      expect(took).toBeGreaterThanOrEqual(900);
      expect(took).toBeLessThan(10_000);
      expect(server.stdout()).toContain("shutdown timed out: in-flight requests were cut off");
      expect(server.stdout()).not.toContain('"msg":"stopped"');
      await closed;
    } finally {
      server.child.kill("SIGKILL");
    }
  });

  it("adminops initdb and a second server work on the SQLite file a running server uses", {
    timeout: 60_000,
  }, async () => {
    // One deployment, one public URL: the issuer the database records at the first start.
    const first = await prepareServer(dir, "shared", await freePort(), [
      "shutdown_timeout = 5",
      "public_url = https://auth.example.test",
    ]);
    const one = startProcess(["--config", first.config]);
    let two: Started | undefined;
    try {
      await waitFor(
        () => one.stdout().includes("tokenleader-server listening") || one.child.exitCode !== null,
        "the first server to listen",
      );
      expect(one.stderr()).toBe("");

      const initdb = await runAdminops(["initdb", "--config", first.config]);
      expect(initdb.stderr).toBe("");
      expect(initdb.code).toBe(0);
      expect(initdb.stdout).toMatch(
        /^database at file:.*\/tokenleader\.db is up to date \(\d+ migrations applied earlier\)\n$/,
      );

      // Same settings (same database, same key), another port.
      const secondPort = await freePort();
      two = startProcess(["--config", first.config, "--port", String(secondPort)]);
      await waitFor(
        () =>
          two!.stdout().includes("tokenleader-server listening") || two!.child.exitCode !== null,
        "the second server to listen",
      );
      expect(two.stderr()).toBe("");
      // The administrator exists already: no second one, no password printed.
      expect(two.stdout()).not.toContain("password:");
      const ready = await fetch(`http://127.0.0.1:${secondPort}/readyz`);
      expect(ready.status).toBe(200);

      const password = /password: (\S+)/.exec(one.stdout())?.[1];
      const login = await fetch(`http://127.0.0.1:${secondPort}/token/gettoken`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password }),
      });
      expect(login.status).toBe(201);

      two.child.kill("SIGTERM");
      one.child.kill("SIGTERM");
      expect(await two.exited).toBe(0);
      expect(await one.exited).toBe(0);
    } finally {
      one.child.kill("SIGKILL");
      two?.child.kill("SIGKILL");
    }
  });

  it("--help names the settings file order that is really followed", async () => {
    const help = startProcess(["--help"]);
    expect(await help.exited).toBe(0);
    expect(help.stdout().replace(/\s+/g, " ")).toContain(
      "default: $TOKENLEADER_CONFIG, else /etc/tokenleader/tokenleader_settings.ini if it exists, else built-in development defaults",
    );
    expect(help.stdout()).not.toContain("./etc");
  });

  it("refuses to start on a bad setting: the problem lines, exit 2", async () => {
    const server = startProcess(["--config", join(dir, "missing.ini")]);
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toMatch(/missing\.ini/);
  });

  it("refuses a bad --port naming the flag, not an environment variable: one line, exit 2", async () => {
    const server = startProcess(["--port", "abc"]);
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toBe(
      'tokenleader-server: --port: "abc" is not a number; set an integer between 1 and 65535, e.g. 5001\n',
    );
  });

  it("refuses a typo in a key of the settings file (host_prot): one line, exit 2", async () => {
    const config = join(dir, "typo.ini");
    await writeFile(config, "[flask_default]\n\thost_prot = 8080\n");
    const server = startProcess(["--config", config]);
    expect(await server.exited).toBe(2);
    expect(server.stderr()).toBe(
      `tokenleader-server: ${config}:2 [flask_default] host_prot: unknown key; did you mean "host_port"? (see the sample etc/tokenleader_settings.ini)\n`,
    );
  });
});

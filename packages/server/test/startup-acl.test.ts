import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INITIAL_PASSWORD_FILE } from "../src/bootstrap/index.js";
import { startServer } from "../src/cli/tokenleader-server/start-server.js";

// Starting with a settings file that names no role_to_acl_map.yml (an original-style INI) must
// work; naming a file that is missing must stop the start before anything is created.
describe("tokenleader-server start-up and the admin API's ACL file", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "tl-startup-acl-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function freePort(): Promise<number> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    return port;
  }

  async function settingsFile(extra: string): Promise<string> {
    const file = join(dir, "tokenleader_settings.ini");
    const port = await freePort();
    await writeFile(
      file,
      `[flask_default]\n\thost_name = 127.0.0.1\n\thost_port = ${port}\n[server]\n\tdata_dir = ${dir}/data\n\tlog_level = silent\n${extra}`,
    );
    return file;
  }
  const quiet = { print: () => {}, env: {} };

  it("no ACL file configured or beside the settings: starts; role admin may use the admin API", async () => {
    const server = await startServer({ configPath: await settingsFile(""), ...quiet });
    try {
      const password = (await readFile(join(dir, "data", INITIAL_PASSWORD_FILE), "utf8")).trim();
      const login = await fetch(`${server.address}/token/gettoken`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ username: "admin", password }),
      });
      const { auth_token: token } = (await login.json()) as { auth_token: string };
      const users = await fetch(`${server.address}/list/users`, {
        headers: { "x-auth-token": token },
      });
      expect(users.status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it("a configured ACL file that is missing: the start fails naming it, before the admin is created", async () => {
    const missing = join(dir, "nope.yml");
    const configPath = await settingsFile(`[enforcer]\n\trole_to_acl_map_file = ${missing}\n`);
    await expect(startServer({ configPath, ...quiet })).rejects.toThrow(missing);
    expect(existsSync(join(dir, "data", INITIAL_PASSWORD_FILE))).toBe(false);
  });
});

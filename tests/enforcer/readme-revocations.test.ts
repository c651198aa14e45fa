// Runs the "Revocations pushed by the server" example of packages/enforcer/README.md exactly as
// written, as a real process against the compiled package, following a real token server (an app
// listening on a port, SQLite): a user's token passes, the user is revoked through the admin API,
// and the example's route refuses the token without being restarted.
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFullTestServer, type FullTestServer } from "../support/full-test-server.js";
import { firstAnswer, startExample } from "./support/example-process.js";

const enforcerDir = fileURLToPath(new URL("../../packages/enforcer/", import.meta.url));
const readme = readFileSync(join(enforcerDir, "README.md"), "utf8");
const example = /^## Revocations pushed by the server\n[\s\S]*?```js\n([\s\S]*?)```/m.exec(
  readme,
)?.[1];

const workDir = mkdtempSync(join(tmpdir(), "tl-readme-revocations-"));
writeFileSync(
  join(workDir, "role_to_acl_map.yml"),
  "- name: role1\n  allow:\n  - service1:first_api:rulename1\n",
);
const script = join(enforcerDir, `.readme-revocations-${process.pid}.mjs`);
let child: ChildProcess | undefined;
let server: FullTestServer;
let serverUrl: string;

beforeAll(async () => {
  server = await createFullTestServer();
  await server.adminService.addRole("revocation-follower");
  await server.adminService.addUser({
    username: "follower",
    password: "follower-secret",
    email: null,
    roles: ["revocation-follower"],
    wfc: "wfc1",
  });
  serverUrl = await server.app.listen({ host: "127.0.0.1", port: 0 });
}, 60_000);

afterAll(async () => {
  child?.kill();
  rmSync(script, { force: true });
  rmSync(workDir, { recursive: true, force: true });
  await server?.close();
});

describe("README: revocations pushed by the server", () => {
  it("the example refuses a revoked user's token without a restart", async () => {
    expect(example, "the README section or its js block is missing").toBeDefined();
    expect(
      existsSync(join(enforcerDir, "dist", "fastify.js")),
      "packages/enforcer/dist is missing: run `pnpm build` first",
    ).toBe(true);
    writeFileSync(script, example!);
    const running = await startExample(script, {
      cwd: workDir,
      env: {
        TL_URL: serverUrl,
        TL_FOLLOWER: "follower",
        TL_FOLLOWER_PASSWORD: "follower-secret",
      },
    });
    child = running.child;
    const { port, stderr } = running;

    const url = `http://127.0.0.1:${port}/ep3`;
    const ask = () => fetch(url, { headers: { "X-Auth-Token": server.role1Token } });
    const first = await firstAnswer(ask, 200);
    expect(first, `example did not start: ${stderr()}`).toBeDefined();
    expect(first!.status).toBe(200);
    expect(await first!.json()).toEqual({ user: "u1" });

    const revoked = await fetch(`${serverUrl}/revoke/user`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-auth-token": server.adminToken },
      body: JSON.stringify({ username: "u1" }),
    });
    expect(revoked.status).toBe(200);
    let status = 200;
    for (let i = 0; i < 200 && status === 200; i++) {
      status = (await ask()).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status, stderr()).toBe(401);
  }, 60_000);
});

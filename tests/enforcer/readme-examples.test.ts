// Runs the Express and Fastify examples of packages/enforcer/README.md exactly as written, as real
// processes against the compiled package (the root `pnpm test` builds first), so the README can
// not drift from the API.
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  generateSigningKey,
  mintToken,
  TEST_ISSUER,
} from "../../packages/enforcer/test/support/tokens.js";
import { firstAnswer, startExample } from "./support/example-process.js";

const enforcerDir = fileURLToPath(new URL("../../packages/enforcer/", import.meta.url));
const readme = readFileSync(join(enforcerDir, "README.md"), "utf8");
const examples = [...readme.matchAll(/^## (Express|Fastify)[^\n]*\n+```js\n([\s\S]*?)```/gm)].map(
  (m) => ({ name: m[1]!, code: m[2]! }),
);

const key = generateSigningKey();
const workDir = mkdtempSync(join(tmpdir(), "tl-readme-"));
writeFileSync(
  join(workDir, "role_to_acl_map.yml"),
  "- name: role1\n  allow:\n  - service1:first_api:rulename1\n",
);
const children: ChildProcess[] = [];
const scripts: string[] = [];
afterAll(() => {
  for (const child of children) child.kill();
  for (const script of scripts) rmSync(script, { force: true });
  rmSync(workDir, { recursive: true, force: true });
});

describe("README examples", () => {
  it("has one Express and one Fastify example of about 10 lines", () => {
    expect(examples.map((e) => e.name)).toEqual(["Express", "Fastify"]);
    for (const { code } of examples) {
      const lines = code.split("\n").filter((line) => line.trim() !== "");
      expect(lines.length).toBeLessThanOrEqual(10);
    }
  });

  it.each(examples)("the $name example protects /ep3 as documented", async ({ name, code }) => {
    expect(
      existsSync(join(enforcerDir, "dist", `${name.toLowerCase()}.js`)),
      "packages/enforcer/dist is missing: run `pnpm build` first",
    ).toBe(true);
    // The script must live inside the package so "express"/"fastify" and the package's own name
    // resolve; the ACL path in the example is relative to the working directory.
    const script = join(enforcerDir, `.readme-${name.toLowerCase()}-${process.pid}.mjs`);
    scripts.push(script);
    writeFileSync(script, code);
    const { child, port, stderr } = await startExample(script, {
      cwd: workDir,
      env: {
        TL_PUBLIC_KEY: key.publicPem,
        TL_ISSUER: TEST_ISSUER,
      },
    });
    children.push(child);

    const url = `http://127.0.0.1:${port}/ep3`;
    const ask = async (roles: string[]) =>
      fetch(url, { headers: { "X-Auth-Token": await mintToken(key, { roles }) } });
    const first = await firstAnswer(() => ask(["role1"]), 100);
    expect(first, `example did not start: ${stderr()}`).toBeDefined();
    expect(first!.status).toBe(200);
    expect(await first!.json()).toEqual({ user: "user1", org: "org1" });
    expect((await ask(["role2"])).status).toBe(403);
  });
});

// Runs the "Conditions on the work function context" and "Explaining a decision" examples of
// packages/enforcer/README.md as written: the YAML is the ACL, the Express route runs in a real
// process against the compiled package, the load error and the explain commands print exactly
// what the README shows (the root `pnpm test` builds first).
import { type ChildProcess, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAclMap } from "@tokenleader/enforcer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  generateSigningKey,
  mintToken,
  subject,
  TEST_ISSUER,
  WFC1,
} from "../../packages/enforcer/test/support/tokens.js";
import { firstAnswer, startExample } from "./support/example-process.js";

const enforcerDir = fileURLToPath(new URL("../../packages/enforcer/", import.meta.url));
const readme = readFileSync(join(enforcerDir, "README.md"), "utf8");

/** The fenced blocks of one README section, by language. */
function blocksOf(heading: string): Record<string, string> {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README has no section "${heading}"`);
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  return Object.fromEntries(
    [...section.matchAll(/^```(\w+)\n([\s\S]*?)```/gm)].map((m) => [m[1]!, m[2]!]),
  );
}

const conditions = blocksOf("Conditions on the work function context");
const explaining = blocksOf("Explaining a decision");
const key = generateSigningKey();
const workDir = mkdtempSync(join(tmpdir(), "tl-readme-wfc-"));
const binDir = join(workDir, "bin");
const script = join(enforcerDir, `.readme-wfc-${process.pid}.mjs`);
let child: ChildProcess | undefined;

beforeAll(() => {
  expect(
    existsSync(join(enforcerDir, "dist", "cli", "main.js")),
    "packages/enforcer/dist is missing: run `pnpm build` first",
  ).toBe(true);
  writeFileSync(join(workDir, "role_to_acl_map.yml"), conditions["yaml"]!);
  // `tokenleader-enforcer` on PATH, as an installed package provides it.
  mkdirSync(binDir);
  const launcher = join(binDir, "tokenleader-enforcer");
  writeFileSync(
    launcher,
    `#!/bin/sh\nexec "${process.execPath}" "${join(enforcerDir, "bin", "tokenleader-enforcer.js")}" "$@"\n`,
  );
  chmodSync(launcher, 0o755);
});
afterAll(() => {
  child?.kill();
  rmSync(script, { force: true });
  rmSync(workDir, { recursive: true, force: true });
});

const org1Token = () => mintToken(key, { sub: subject("user1", ["role1"], WFC1) });

describe("README: conditions on the work function context", () => {
  it("the Express route admits org1 to its own org only", async () => {
    writeFileSync(
      script,
      [
        'import express from "express";',
        'import { createEnforcer } from "@tokenleader/enforcer/express";',
        "const enforcer = createEnforcer({ roleToAclMapFile: './role_to_acl_map.yml',",
        "  publicKey: process.env.TL_PUBLIC_KEY, issuer: process.env.TL_ISSUER });",
        "const app = express();",
        conditions["js"]!,
        "app.listen(Number(process.env.PORT));",
      ].join("\n"),
    );
    const running = await startExample(script, {
      cwd: workDir,
      env: {
        TL_PUBLIC_KEY: key.publicPem,
        TL_ISSUER: TEST_ISSUER,
      },
    });
    child = running.child;
    const { port, stderr } = running;
    const token = await org1Token();
    const ask = (org: string) =>
      fetch(`http://127.0.0.1:${port}/orgs/${org}/users`, { headers: { "X-Auth-Token": token } });
    const first = await firstAnswer(() => ask("org1"), 150);
    expect(first, `example did not start: ${stderr()}`).toBeDefined();
    expect(first!.status).toBe(200);
    expect(await first!.json()).toEqual({ org: "org1", user: "user1" });
    expect((await ask("org2")).status).toBe(403);
  });

  it("a malformed condition is refused with the error the README shows", () => {
    const broken = conditions["yaml"]!.replace("{param: org}", "{parm: org}");
    expect(() => parseAclMap(broken)).toThrow(conditions["text"]!.trim());
  });
});

describe("README: explaining a decision", () => {
  const commands = explaining["sh"]!.split("\n")
    .map((line, i, lines) => ({ command: line, expected: lines[i + 1]?.replace(/^# /, "") }))
    .filter(({ command }) => command.startsWith("tokenleader-enforcer "));

  it("shows one allowed and one denied command", () => {
    expect(commands).toHaveLength(2);
  });

  it.each(commands)("$command", async ({ command, expected }) => {
    const token = await org1Token();
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const sh = spawn("sh", ["-c", command], {
          cwd: workDir,
          env: { ...process.env, TOKEN: token, PATH: `${binDir}:${process.env["PATH"]}` },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        sh.stdout.on("data", (d) => (stdout += d));
        sh.stderr.on("data", (d) => (stderr += d));
        sh.on("error", reject);
        sh.on("close", (code) => resolve({ code, stdout, stderr }));
      },
    );
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe(expected);
    expect(result.code).toBe(expected!.startsWith("allowed") ? 0 : 1);
  });
});

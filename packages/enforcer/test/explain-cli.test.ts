// `tokenleader-enforcer explain` as a real process, from the compiled dist/ (the root `pnpm test`
// builds first; alone: `pnpm exec tsc -b packages/enforcer`).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKey, mintToken, subject, TEST_ISSUER, WFC1 } from "./support/tokens.js";

const BIN = join(import.meta.dirname, "../bin/tokenleader-enforcer.js");
const DIST_MAIN = join(import.meta.dirname, "../dist/cli/main.js");
const key = generateSigningKey();
const otherKey = generateSigningKey();
const dir = mkdtempSync(join(tmpdir(), "tl-explain-cli-"));
const acl = join(dir, "role_to_acl_map.yml");
const publicKeyFile = join(dir, "public.pem");
let token: string;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], input = ""): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

beforeAll(async () => {
  if (!existsSync(DIST_MAIN)) {
    throw new Error("compiled CLI missing: run `pnpm exec tsc -b packages/enforcer` first");
  }
  writeFileSync(
    acl,
    "- name: role1\n  allow:\n    - docs.read\n    - rule: orgs:read\n      org: {param: org}\n",
  );
  writeFileSync(publicKeyFile, key.publicPem);
  token = await mintToken(key, { sub: subject("user1", ["role1"], WFC1) });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("tokenleader-enforcer explain", () => {
  it("exits 0 and names the granting role and entry", async () => {
    const result = await run(["explain", "--acl", acl, "--rule", "docs.read", "--token", token]);
    expect(result).toEqual({
      code: 0,
      stdout:
        "allowed: role 'role1', entry 1, allow[0] (line 3) 'docs.read' grants rule 'docs.read'\n",
      stderr: "",
    });
  });

  it("exits 1 with the failed condition, and prints the explanation as JSON", async () => {
    const args = ["explain", "--acl", acl, "--rule", "orgs:read", "--token", token];
    const denied = await run([...args, "--param", "org=org2", "--json"]);
    expect(denied.code).toBe(1);
    expect(JSON.parse(denied.stdout)).toMatchObject({
      allowed: false,
      code: "CONDITION_FAILED",
      failures: [
        {
          role: "role1",
          entry: 1,
          line: 4,
          field: "org",
          expected: "route parameter 'org' = 'org2'",
          got: "org1",
        },
      ],
    });
    const allowed = await run([...args, "--param", "org=org1"]);
    expect(allowed.code).toBe(0);
  });

  it("reads the token from standard input with --token -", async () => {
    const result = await run(
      ["explain", "--acl", acl, "--rule", "billing.pay", "--token", "-"],
      `${token}\n`,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      "denied (NO_SUCH_RULE): no such rule: no entry of the ACL allows rule 'billing.pay'\n",
    );
  });

  it("verifies the token with --public-key (and refuses a forged one)", async () => {
    const verified = ["explain", "--acl", acl, "--rule", "docs.read", "--public-key"];
    const good = await run([...verified, publicKeyFile, "--issuer", TEST_ISSUER, "--token", token]);
    expect(good.code).toBe(0);
    const forged = await mintToken(otherKey, { sub: subject("user1", ["role1"], WFC1) });
    const bad = await run([...verified, publicKeyFile, "--token", forged]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^denied \(TOKEN_INVALID\): /);
    // Without a key the same forged token is only decoded: the help says so.
    const decoded = await run(["explain", "--acl", acl, "--rule", "docs.read", "--token", forged]);
    expect(decoded.code).toBe(0);
    const help = await run(["explain", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("only DECODED, NOT VERIFIED");
  });

  it("exits 2 on usage errors and bad ACL files, naming the problem and the line", async () => {
    const broken = join(dir, "broken.yml");
    writeFileSync(broken, "- name: role1\n  allow:\n    - rule: x\n      dept: sales\n");
    const cases: Array<[string[], string]> = [
      [["explain", "--acl", acl, "--rule", "r"], "Missing required argument: token"],
      [[], "name a command (explain)"],
      [
        ["explain", "--acl", acl, "--rule", "r", "--token", token, "--param", "org"],
        "--param org: expected name=value",
      ],
      [["explain", "--acl", acl, "--rule", "r", "--token", "garbage"], "--token is not a JWT"],
      [
        ["explain", "--acl", broken, "--rule", "x", "--token", token],
        `${broken}: entry 1 (role 'role1') at line 1: allow[0] (line 3) unknown key 'dept'`,
      ],
      [
        ["explain", "--acl", join(dir, "missing.yml"), "--rule", "x", "--token", token],
        "missing.yml: cannot read the ACL map: file not found",
      ],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(message);
      expect(result.stderr).not.toContain("    at ");
    }
  });
});

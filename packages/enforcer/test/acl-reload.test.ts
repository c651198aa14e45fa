import { mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { createEnforcer, type EnforcerLogger } from "../src/index.js";
import { ADAPTERS, call, eventually, type RunningApp, startApp } from "./support/apps.js";
import { generateSigningKey, mintToken, TEST_ISSUER } from "./support/tokens.js";

const key = generateSigningKey();
const RULE = "service1:first_api:rulename1";

function recordingLogger(): EnforcerLogger & { errors: string[]; infos: string[] } {
  const errors: string[] = [];
  const infos: string[] = [];
  return {
    errors,
    infos,
    error: (details, message) => errors.push(`${message} ${JSON.stringify(details)}`),
    warn: () => {},
    info: (details, message) => infos.push(`${message} ${JSON.stringify(details)}`),
  };
}

/** Writes like an editor that saves to a temp file and renames it over the original. */
function replaceFile(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

describe.each(ADAPTERS)("ACL file edited while a %s app runs", (adapter) => {
  const dir = mkdtempSync(join(tmpdir(), "tl-acl-"));
  const file = join(dir, "role_to_acl_map.yml");
  let app: RunningApp | undefined;
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("picks up a valid edit and keeps the last good map after a broken one", async () => {
    writeFileSync(file, `- name: role1\n  allow:\n  - ${RULE}\n`);
    const logger = recordingLogger();
    app = await startApp(
      adapter,
      {
        roleToAclMapFile: file,
        publicKey: key.publicPem,
        issuer: TEST_ISSUER,
        aclReloadDebounceMs: 20,
        logger,
      },
      [{ method: "GET", path: "/ep3", rule: RULE }],
    );
    const role3 = await mintToken(key, { roles: ["role3"] });
    const status = async () =>
      (await call(`${app!.url}/ep3`, { headers: { "X-Auth-Token": role3 } })).status;
    expect(await status()).toBe(403);

    // Valid edit via rename-replace (vim, sed -i): role3 gains the rule.
    replaceFile(
      file,
      `- name: role1\n  allow:\n  - ${RULE}\n- name: role3\n  allow:\n  - ${RULE}\n`,
    );
    await eventually(async () => (await status()) === 200);
    expect(logger.infos).toEqual([`reloaded role_to_acl_map.yml {"file":"${file}","roles":2}`]);

    // Broken edit in place: the last good map stays, and the problem is logged with the entry.
    writeFileSync(file, `- name: role1\n  allow:\n  - ${RULE}\n- name: role3\n`);
    await eventually(async () => logger.errors.length > 0);
    expect(logger.errors[0]).toContain("entry 2 (role 'role3')");
    expect(await status()).toBe(200);

    // The file is fixed again: the new content wins (role3 loses the rule).
    replaceFile(file, `- name: role1\n  allow:\n  - ${RULE}\n`);
    await eventually(async () => (await status()) === 403);
  });
});

describe("the default logger", () => {
  const dir = mkdtempSync(join(tmpdir(), "tl-acl-log-"));
  const file = join(dir, "role_to_acl_map.yml");
  afterEach(() => vi.restoreAllMocks());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reports a successful reload on stderr, naming the file and the number of roles", async () => {
    writeFileSync(file, `- name: role1\n  allow:\n  - ${RULE}\n`);
    const stderr = vi.spyOn(console, "error").mockImplementation(() => {});
    const enforcer = createEnforcer({
      roleToAclMapFile: file,
      publicKey: key.publicPem,
      issuer: TEST_ISSUER,
      aclReloadDebounceMs: 20,
    });
    try {
      replaceFile(file, `- name: role1\n  allow:\n  - ${RULE}\n- name: role3\n  allow: [x]\n`);
      await eventually(async () => stderr.mock.calls.length > 0);
      expect(stderr.mock.calls).toEqual([
        ["[tokenleader-enforcer] reloaded role_to_acl_map.yml", { file, roles: 2 }],
      ]);
    } finally {
      enforcer.close();
    }
  });
});

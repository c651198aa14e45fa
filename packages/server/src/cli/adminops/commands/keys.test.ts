// adminops keys list|rotate|retire against real SQLite and PostgreSQL: tables for people, JSON
// for scripts, the deployment's key-encryption key required to rotate, refusals with exit 1 and
// one line, usage problems with exit 2.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createCapturedIo } from "@tokenleader/client/terminal";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../../../../test/helpers/test-databases.js";
import { KEY_ENCRYPTION_KEY_ENV, loadDatabaseKeySet } from "../../../keys/index.js";
import { runAdminops } from "../run-adminops.js";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tl-adminops-keys-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const settingsFile = path.join(scratch, "tokenleader_settings.ini");
fs.writeFileSync(
  settingsFile,
  `[server]\n\tdata_dir = ${scratch}\n[token]\n\talgorithm = ES256\n\tkey_rotation_lead_seconds = 90\n`,
);
const kek = randomBytes(32);

describeEachProvider("adminops keys", (ctx) => {
  let firstKid: string;

  beforeAll(async () => {
    // The deployment's first key, as the first server start stores it.
    const loaded = await loadDatabaseKeySet(
      ctx.db,
      { privateKeyFile: null, publicKeyFile: null, algorithm: "ES256", dataDir: scratch },
      { key: kek, source: KEY_ENCRYPTION_KEY_ENV, setting: KEY_ENCRYPTION_KEY_ENV },
    );
    firstKid = loaded.keySet.signingKey.kid;
  });

  async function adminops(args: string[], env: Record<string, string> = {}) {
    const io = createCapturedIo();
    const code = await runAdminops([...args, "--db", ctx.url, "--config", settingsFile], io, {
      env,
      cwd: scratch,
    });
    // SQLite test databases live under /tmp, which adminops warns about: not these tests' subject.
    const stderr = io.stderr
      .split("\n")
      .filter((line) => !line.startsWith("adminops: warning:"))
      .join("\n");
    return { code, stdout: io.stdout, stderr };
  }
  const withKek = { [KEY_ENCRYPTION_KEY_ENV]: kek.toString("base64") };

  it("list shows the deployment's key as a table, and as JSON", async () => {
    const table = await adminops(["keys", "list"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(
      /^KID\s+ALGORITHM\s+STATE\s+CREATED\s+ACTIVATES\s+PUBLISHED UNTIL/,
    );
    expect(table.stdout).toMatch(new RegExp(`${firstKid}\\s+ES256\\s+active-signing`));
    const json = await adminops(["keys", "list", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual([
      expect.objectContaining({ kid: firstKid, state: "active-signing", publishedUntil: null }),
    ]);
  });

  it("rotate needs the deployment's key-encryption key and says which setting gives it", async () => {
    const missing = await adminops(["keys", "rotate"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(
      /^adminops: error: no key-encryption key: set TOKENLEADER_KEY_ENCRYPTION_KEY or \[token\] key_encryption_key_file/,
    );
    // Nothing generated in the data directory either.
    expect(fs.existsSync(path.join(scratch, "key-encryption.key"))).toBe(false);
    const wrong = await adminops(["keys", "rotate"], {
      [KEY_ENCRYPTION_KEY_ENV]: randomBytes(32).toString("base64"),
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("another key-encryption key");
    expect(JSON.parse((await adminops(["keys", "list", "--json"])).stdout)).toHaveLength(1);
  });

  it("rotate stores a pending key (lead time from the settings or --lead-time), --now signs at once", async () => {
    const started = Date.now();
    const pending = await adminops(["keys", "rotate", "--json"], withKek);
    expect(pending.code, pending.stderr).toBe(0);
    const key = JSON.parse(pending.stdout);
    expect(key).toMatchObject({ state: "pending", algorithm: "ES256", origin: "rotated" });
    expect(Date.parse(key.activatesAt) - started).toBeGreaterThanOrEqual(89_000);

    const tenMinutes = await adminops(["keys", "rotate", "--lead-time", "10m", "--json"], withKek);
    expect(Date.parse(JSON.parse(tenMinutes.stdout).activatesAt) - started).toBeGreaterThanOrEqual(
      599_000,
    );

    const now = await adminops(["keys", "rotate", "--now", "--algorithm", "EdDSA"], withKek);
    expect(now.code, now.stderr).toBe(0);
    expect(now.stdout).toMatch(/new signing key \S+ \(EdDSA\): published now, signs from /);
    expect(now.stdout).toContain("note: [token] algorithm = ES256; set it to EdDSA");
    const states = JSON.parse((await adminops(["keys", "list", "--json"])).stdout).map(
      (k: { state: string }) => k.state,
    );
    expect(states).toEqual(["published", "pending", "pending", "active-signing"]);
  });

  it("retire refusals exit 1 with one line; bad flags exit 2", async () => {
    const unknown = await adminops(["keys", "retire", "no-such-kid"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('adminops: error: no signing key has kid "no-such-kid"\n');
    const badDuration = await adminops(["keys", "retire", firstKid, "--published-for", "soon"]);
    expect(badDuration.code).toBe(2);
    expect(badDuration.stderr).toContain("--published-for soon: give seconds");
    const badLead = await adminops(["keys", "rotate", "--lead-time", "-5"], withKek);
    expect(badLead.code).toBe(2);
    const both = await adminops(["keys", "rotate", "--now", "--lead-time", "5"], withKek);
    expect(both.code).toBe(2);
    const noAction = await adminops(["keys"]);
    expect(noAction.code).toBe(2);
    expect(noAction.stderr).toContain("name a command");
  });

  it("retire: the old key stops signing and is published until its tokens have expired", async () => {
    const retired = await adminops(["keys", "retire", firstKid]);
    expect(retired.code, retired.stderr).toBe(0);
    expect(retired.stdout).toMatch(
      new RegExp(`^signing key ${firstKid} retired: no longer signs, published until \\S+Z\\.`),
    );
    expect(retired.stdout).toMatch(new RegExp(`${firstKid}\\s+ES256\\s+retired-until`));
  });

  it("each command has its own help", async () => {
    const help = await adminops(["keys", "rotate", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--lead-time");
    expect(help.stdout).toContain("key-encryption key");
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSettings } from "./load-settings.js";
import { SettingsError } from "./settings-types.js";

// Secrets handed over as files (Docker/Kubernetes secrets): TOKENLEADER_DB_URL_FILE, and the
// pairing rule for TOKENLEADER_KEY_ENCRYPTION_KEY / _FILE.

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tl-secret-files-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const noSystemFile = path.join(scratch, "no-such-system-file.ini");

let counter = 0;
function secretFile(content: string): string {
  const file = path.join(scratch, `secret-${counter++}`);
  fs.writeFileSync(file, content, { mode: 0o600 });
  return file;
}

function load(env: Record<string, string>, overrides?: { dbUrl?: string }) {
  return loadSettings({ env, cwd: scratch, systemSettingsFile: noSystemFile, overrides });
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as SettingsError).problems;
  }
  throw new Error("expected a SettingsError");
}

describe("TOKENLEADER_DB_URL_FILE", () => {
  it("reads the database URL from the file, without its trailing newline", () => {
    const file = secretFile("postgresql://tl:s3cret@db.example:5432/tl\n");
    expect(load({ TOKENLEADER_DB_URL_FILE: file }).db).toMatchObject({
      url: "postgresql://tl:s3cret@db.example:5432/tl",
      provider: "postgresql",
    });
  });

  it("resolves a relative file name, and a relative SQLite path in it, against the working directory", () => {
    const file = secretFile("file:data/tl.db\r\n");
    expect(load({ TOKENLEADER_DB_URL_FILE: path.basename(file) }).db).toMatchObject({
      url: `file:${path.join(scratch, "data/tl.db")}`,
      provider: "sqlite",
    });
  });

  it("gives way to adminops --db, as TOKENLEADER_DB_URL does", () => {
    const file = secretFile("postgresql://tl@db.example/tl\n");
    expect(
      load({ TOKENLEADER_DB_URL_FILE: file }, { dbUrl: "file:/srv/flag.db" }).db,
    ).toMatchObject({
      url: "file:/srv/flag.db",
      provider: "sqlite",
    });
  });

  it("refuses TOKENLEADER_DB_URL and TOKENLEADER_DB_URL_FILE together", () => {
    const file = secretFile("postgresql://tl@db.example/tl\n");
    expect(
      problemsOf({ TOKENLEADER_DB_URL: "postgresql://tl@other/tl", TOKENLEADER_DB_URL_FILE: file }),
    ).toEqual([
      "environment variables TOKENLEADER_DB_URL and TOKENLEADER_DB_URL_FILE are both set; set only one (TOKENLEADER_DB_URL_FILE names a file holding the value)",
    ]);
  });

  it("names the variable and the file when the file is missing, a directory or empty", () => {
    const missing = path.join(scratch, "no-such-secret");
    expect(problemsOf({ TOKENLEADER_DB_URL_FILE: missing })).toEqual([
      `environment variable TOKENLEADER_DB_URL_FILE=${missing}: ${missing} does not exist; check the path and that this user may read it`,
    ]);
    expect(problemsOf({ TOKENLEADER_DB_URL_FILE: scratch })).toEqual([
      `environment variable TOKENLEADER_DB_URL_FILE=${scratch}: ${scratch} is not a file; name the secret file`,
    ]);
    const empty = secretFile("\n");
    expect(problemsOf({ TOKENLEADER_DB_URL_FILE: empty })).toEqual([
      `environment variable TOKENLEADER_DB_URL_FILE=${empty}: ${empty} is empty; write the value into it`,
    ]);
  });

  it("refuses a file too large to be a secret without reading it", () => {
    const large = secretFile("x".repeat(64 * 1024 + 1));
    expect(problemsOf({ TOKENLEADER_DB_URL_FILE: large })[0]).toMatch(
      /TOKENLEADER_DB_URL_FILE=.*is larger than 65536 bytes, too large for a secret/,
    );
  });

  it("never shows the file's content in a problem", () => {
    const file = secretFile("mysql://tl:s3cret-password@db.example/tl\n");
    const [problem] = problemsOf({ TOKENLEADER_DB_URL_FILE: file });
    expect(problem).toMatch(
      new RegExp(
        `^environment variable TOKENLEADER_DB_URL_FILE=${file}: \\(the file's content, not shown\\) is not usable: unsupported database URL`,
      ),
    );
    expect(problem).not.toContain("s3cret-password");
  });
});

describe("TOKENLEADER_KEY_ENCRYPTION_KEY and TOKENLEADER_KEY_ENCRYPTION_KEY_FILE", () => {
  it("refuses both set, without showing the key", () => {
    const key = "c2VjcmV0LWtleS1lbmNyeXB0aW9uLWtleS0zMmJ5dGU=";
    const problems = problemsOf({
      TOKENLEADER_KEY_ENCRYPTION_KEY: key,
      TOKENLEADER_KEY_ENCRYPTION_KEY_FILE: secretFile(`${key}\n`),
    });
    expect(problems).toEqual([
      "environment variables TOKENLEADER_KEY_ENCRYPTION_KEY and TOKENLEADER_KEY_ENCRYPTION_KEY_FILE are both set; set only one (TOKENLEADER_KEY_ENCRYPTION_KEY_FILE names a file holding the value)",
    ]);
  });

  it("takes the file variable alone as [token] key_encryption_key_file", () => {
    const file = secretFile("irrelevant here\n");
    expect(load({ TOKENLEADER_KEY_ENCRYPTION_KEY_FILE: file }).token.keyEncryptionKeyFile).toBe(
      file,
    );
  });
});

import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runTokenleaderAuthCli } from "../src/cli/tokenleader-auth/run.js";
import { Configs } from "../src/config/configs.js";
import { createCapturedIo } from "../src/terminal/captured-io.js";
import { makeTempDir } from "./fixtures.js";

// tokenleader-auth in-process with a captured terminal: what is asked, in which order, and what
// ends up in the password file. (The process-level runs are in cli.test.ts.)

let tmp: ReturnType<typeof makeTempDir>;
let config: string;
let passwordFile: string;

beforeAll(() => {
  tmp = makeTempDir();
  passwordFile = join(tmp.dir, "tlclient/user_settings.ini");
  config = join(tmp.dir, "client_configs.yml");
  writeFileSync(
    config,
    [
      "user_auth_info_from: file",
      `user_auth_info_file_location: ${passwordFile}`,
      `fernet_key_file: ${join(tmp.dir, "tlclient/farnetkeys")}`,
      "tl_user: user1",
      "tl_url: http://127.0.0.1:5001",
      "ssl_verify: False",
      "",
    ].join("\n"),
  );
});
afterAll(() => tmp?.cleanup());

const storedPassword = () => new Configs({ configFile: config }).decryptPassword();

describe("tokenleader-auth at a terminal (hidden prompt)", () => {
  beforeEach(async () => {
    // Start every case with a stored password "first".
    const io = createCapturedIo({ stdin: "first\n" });
    expect(
      await runTokenleaderAuthCli(["--config", config, "--password-stdin", "--force"], io),
    ).toBe(0);
  });

  it("refuses an existing file before asking for the password", async () => {
    const before = readFileSync(passwordFile, "utf8");
    const io = createCapturedIo({ tty: true, answers: ["second", "second"] });
    expect(await runTokenleaderAuthCli(["--config", config], io)).toBe(1);
    expect(io.questions).toEqual([]);
    expect(io.stdout).toBe("");
    expect(io.stderr).toBe(
      `tokenleader-auth: [CREDENTIALS] file ${passwordFile} already exists, delete this file first to generate a new one (or use --force)\n`,
    );
    expect(readFileSync(passwordFile, "utf8")).toBe(before);
  });

  it("refuses before reading --password-stdin or using -p too", async () => {
    for (const args of [["--password-stdin"], ["-p", "second"]]) {
      const io = createCapturedIo({ stdin: "second\n" });
      expect(await runTokenleaderAuthCli(["--config", config, ...args], io)).toBe(1);
      expect(io.stderr).toContain("already exists");
    }
    expect(storedPassword()).toBe("first");
  });

  it("with --force asks twice, hidden, and replaces the password", async () => {
    const io = createCapturedIo({ tty: true, answers: ["second", "second"] });
    expect(await runTokenleaderAuthCli(["--config", config, "--force"], io)).toBe(0);
    expect(io.questions).toEqual(["Password: ", "Repeat password: "]);
    expect(io.stdout).toBe(`file ${passwordFile} has been replaced\n`);
    expect(io.stderr).toBe("");
    expect(storedPassword()).toBe("second");
  });

  it("writes nothing when the two answers differ", async () => {
    const io = createCapturedIo({ tty: true, answers: ["second", "secnod"] });
    expect(await runTokenleaderAuthCli(["--config", config, "--force"], io)).toBe(1);
    expect(io.stderr).toBe(
      "tokenleader-auth: [CREDENTIALS] the two passwords differ; nothing was written\n",
    );
    expect(storedPassword()).toBe("first");
  });

  it("without a terminal and without -p/--password-stdin, says how to give the password", async () => {
    const io = createCapturedIo({ tty: false });
    expect(await runTokenleaderAuthCli(["--config", config, "--force"], io)).toBe(1);
    expect(io.questions).toEqual([]);
    expect(io.stderr).toMatch(
      /^tokenleader-auth: \[CREDENTIALS\] no password given: use --password-stdin/,
    );
  });
});

describe("tokenleader-auth with no password file yet", () => {
  it("asks at the terminal and generates the file", async () => {
    const fresh = join(tmp.dir, "fresh.yml");
    const freshPasswordFile = join(tmp.dir, "fresh/user_settings.ini");
    writeFileSync(fresh, readFileSync(config, "utf8").replace(passwordFile, freshPasswordFile));
    expect(existsSync(freshPasswordFile)).toBe(false);
    const io = createCapturedIo({ tty: true, answers: ["pw1", "pw1"] });
    expect(await runTokenleaderAuthCli(["--config", fresh], io)).toBe(0);
    expect(io.questions).toEqual(["Password: ", "Repeat password: "]);
    expect(io.stdout).toBe(`file ${freshPasswordFile} has been generated\n`);
    expect(new Configs({ configFile: fresh }).decryptPassword()).toBe("pw1");
  });
});

import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, writeOriginalTestData } from "./fixtures.js";
import { type OriginalServer, startOriginalServer } from "./original-server.js";
import { CTRL_C, CTRL_D, type PtyStep, runInPty } from "./run-in-pty.js";

// The hidden password prompts of tokenleader-auth and `tokenleader update user` on a real
// terminal (compiled dist/, as cli.test.ts): Ctrl-D or Ctrl-C instead of an answer ends the
// program with a one-line error, not silently.

const TOKENLEADER_AUTH = join(import.meta.dirname, "../dist/cli/tokenleader-auth/main.js");
const TOKENLEADER = join(import.meta.dirname, "../dist/cli/tokenleader/main.js");

let tmp: ReturnType<typeof makeTempDir>;
let run = 0;

beforeAll(() => {
  if (!existsSync(TOKENLEADER_AUTH) || !existsSync(TOKENLEADER)) {
    throw new Error("compiled CLIs missing: run `pnpm exec tsc -b packages/client` first");
  }
  tmp = makeTempDir();
});
afterAll(() => tmp?.cleanup());

/** A fresh client config; returns it and the password file it names. */
function freshConfig(): { config: string; passwordFile: string } {
  run += 1;
  const passwordFile = join(tmp.dir, `run${run}/user_settings.ini`);
  const config = join(tmp.dir, `client_configs_${run}.yml`);
  writeFileSync(
    config,
    [
      "user_auth_info_from: file",
      `user_auth_info_file_location: ${passwordFile}`,
      `fernet_key_file: ${join(tmp.dir, `run${run}/farnetkeys`)}`,
      "tl_user: user1",
      "tl_url: http://localhost:5001",
      "",
    ].join("\n"),
  );
  return { config, passwordFile };
}

async function tokenleaderAuth(config: string, steps: PtyStep[]) {
  const result = await runInPty([process.execPath, TOKENLEADER_AUTH, "--config", config], steps, {
    env: { ...process.env, TOKENLEADER_CLIENT_CONFIG: "" },
  });
  return { ...result, output: result.output.replace(/\r\n/g, "\n") };
}

describe("tokenleader-auth at a terminal", () => {
  it("typing the password twice stores it (hidden: not echoed)", async () => {
    const { config, passwordFile } = freshConfig();
    const result = await tokenleaderAuth(config, [
      { waitFor: "Password: ", send: "s3cret-pw\r" },
      { waitFor: "Repeat password: ", send: "s3cret-pw\r" },
    ]);
    expect(result.code).toBe(0);
    expect(result.output).toContain(`file ${passwordFile} has been generated`);
    expect(result.output).not.toContain("s3cret-pw");
    expect(existsSync(passwordFile)).toBe(true);
  });

  it.each([
    ["Ctrl-D at the first prompt", [{ waitFor: "Password: ", send: CTRL_D }]],
    [
      "Ctrl-D at the repeat prompt",
      [
        { waitFor: "Password: ", send: "s3cret-pw\r" },
        { waitFor: "Repeat password: ", send: CTRL_D },
      ],
    ],
    ["Ctrl-C at the first prompt", [{ waitFor: "Password: ", send: CTRL_C }]],
  ])("%s: exit 1 with 'tokenleader-auth: cancelled', nothing written", async (_label, steps) => {
    const { config, passwordFile } = freshConfig();
    const result = await tokenleaderAuth(config, steps);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/\ntokenleader-auth: cancelled\n$/);
    expect(existsSync(passwordFile)).toBe(false);
  });
});

describe("tokenleader update user at a terminal", () => {
  let server: OriginalServer;
  let configFile: string;
  beforeAll(async () => {
    server = await startOriginalServer();
    ({ configFile } = writeOriginalTestData(join(tmp.dir, "update"), {
      tlUrl: server.url,
      publicKey: server.publicKeyLine,
    }));
  });
  afterAll(() => server?.close());

  async function updateUser(steps: PtyStep[]) {
    const before = server.stats.adminCalls.length;
    const result = await runInPty(
      [process.execPath, TOKENLEADER, "update", "user", "-n", "user1", "--config", configFile],
      steps,
      { env: { ...process.env, TOKENLEADER_CLIENT_CONFIG: "" } },
    );
    return {
      ...result,
      output: result.output.replace(/\r\n/g, "\n"),
      sent: server.stats.adminCalls.slice(before),
    };
  }

  it("without --roles or a password flag, asks for the new password twice (hidden) and sends it", async () => {
    const result = await updateUser([
      { waitFor: "New password for user1: ", send: "n3w-pw\r" },
      { waitFor: "Repeat password: ", send: "n3w-pw\r" },
    ]);
    expect(result.code).toBe(0);
    expect(result.output).toContain(
      "password of user1 changed; their login sessions and earlier tokens have ended.\n",
    );
    expect(result.output).not.toContain("n3w-pw");
    expect(result.sent).toEqual([
      { method: "POST", url: "/update/user", body: { username: "user1", password: "n3w-pw" } },
    ]);
  });

  it("two different answers: exit 1, one line, nothing sent", async () => {
    const result = await updateUser([
      { waitFor: "New password for user1: ", send: "n3w-pw\r" },
      { waitFor: "Repeat password: ", send: "other\r" },
    ]);
    expect(result.code).toBe(1);
    expect(result.output).toMatch(
      /\ntokenleader: \[CREDENTIALS\] the two passwords differ; nothing was changed\n$/,
    );
    expect(result.sent).toEqual([]);
  });
});

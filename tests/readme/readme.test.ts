import { spawnSync } from "node:child_process";
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { cleanEnv, freePort, runProcess } from "../e2e/support/processes.js";
import { extractShellBlocks } from "./readme-blocks.js";
import { buildReadmeScript } from "./readme-script.js";

// "Done means" of issue 11: the README's command blocks, run in order from a fresh copy of the
// repository as a new user would — `pnpm install` included — all succeed.

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const blocks = extractShellBlocks(await readFile(join(repoRoot, "README.md"), "utf8"));
/** What the test types at the README's one prompt (`read -rsp 'new admin password …' PW`). */
const NEW_ADMIN_PASSWORD = "readme-admin-password";
const README_PORT = 5001;
const RUN_TIMEOUT_MS = 300_000;

let copy: string | undefined;
let scriptDir: string | undefined;
let serverPidFile: string | undefined;
/** The script's process group (it is started detached), killed should the run be cut off. */
let scriptPid: number | undefined;

afterAll(async () => {
  // The script stops its server itself; this is for a run cut off by the timeout.
  const serverPid = serverPidFile
    ? Number((await readFile(serverPidFile, "utf8").catch(() => "")) || 0)
    : 0;
  for (const group of [scriptPid, serverPid]) {
    if (!group) continue;
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // Already gone: the normal case.
    }
  }
  for (const dir of [copy, scriptDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

describe("README.md", () => {
  it("marks only these blocks as not run by this test", () => {
    expect(
      blocks.filter((b) => b.mode === "skip").map((b) => ({ code: b.code, reason: b.reason })),
    ).toEqual([
      {
        code: "npm install -g pnpm@10",
        reason: "installs pnpm globally, which the test machine has already",
      },
      {
        code: "pnpm install && pnpm test",
        reason: "it is the test suite, which runs the README test",
      },
      {
        code: expect.stringMatching(/^pnpm exec adminops import tokenleader1 --from /),
        reason: "it needs your tokenleader 1.x database",
      },
    ]);
    expect(blocks.filter((b) => b.mode === "background").map((b) => b.code)).toEqual([
      expect.stringMatching(/^pnpm start\b/),
    ]);
  });

  it(
    "every other command block succeeds, in order, from a fresh copy of the repository",
    async () => {
      const skipped = blocks.filter((block) => block.mode === "skip");
      console.info(
        `README blocks not run: ${skipped.map((b) => `line ${b.line} (${b.reason})`).join("; ")}`,
      );
      copy = await mkdtemp(join(tmpdir(), "tl-readme-checkout-"));
      scriptDir = await mkdtemp(join(tmpdir(), "tl-readme-script-"));
      serverPidFile = join(scriptDir, "server.pid");
      await copyCommittedTree(repoRoot, copy);

      // The README's port, unless something else on this machine holds it.
      const port = (await portIsFree(README_PORT)) ? README_PORT : await freePort();
      const onPort = (code: string) =>
        port === README_PORT ? code : code.replaceAll(`:${README_PORT}`, `:${port}`);
      const script = buildReadmeScript(
        blocks.map((block) => ({ ...block, code: onPort(block.code) })),
        {
          scriptDir,
          readyUrl: `http://127.0.0.1:${port}`,
          serverPidFile,
          serverLogFile: join(scriptDir, "server.log"),
          readyTimeoutSeconds: 120,
        },
      );
      for (const [name, content] of Object.entries(script.files)) {
        await writeFile(join(scriptDir, name), content);
      }

      const run = await runProcess("bash", [join(scriptDir, "main.sh")], {
        cwd: copy,
        env: newUserEnv(port === README_PORT ? {} : { TOKENLEADER_PORT: String(port) }),
        input: `${NEW_ADMIN_PASSWORD}\n`,
        timeoutMs: RUN_TIMEOUT_MS - 10_000,
        detached: true,
        onSpawn: (pid) => {
          scriptPid = pid;
        },
      });
      const lastBlock = [...run.stderr.matchAll(/^### (README\.md line \d+)$/gm)].at(-1)?.[1];
      expect(
        { exitCode: run.code, lastBlock },
        `failed in ${lastBlock}:\n${run.stderr.slice(-4000)}\n--- stdout:\n${run.stdout.slice(-2000)}`,
      ).toEqual({ exitCode: 0, lastBlock: `README.md line ${blocks.at(-1)!.line}` });

      // curl exits 0 whatever the HTTP status: the answers the README promises must be there.
      for (const promised of [
        '"status":"Verification Successful"',
        '"keys":[',
        '{"login":true}',
        '{"refresh":true}',
        '{"logout":true}',
        // The cookie login after `adminops passwd`: logged in with the new password.
        '{"currentUser":"admin","UserRoles":["admin"]',
        "status:   Verification Successful",
      ]) {
        expect(run.stdout).toContain(promised);
      }
    },
    RUN_TIMEOUT_MS,
  );
});

/** The files git tracks, as a fresh clone has them (no node_modules, dist, var). */
async function copyCommittedTree(from: string, to: string): Promise<void> {
  const listed = spawnSync("git", ["ls-files", "-z"], { cwd: from, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  for (const file of listed.stdout.split("\0").filter(Boolean)) {
    const source = join(from, file);
    const info = await stat(source).catch(() => null);
    if (!info?.isFile()) continue; // deleted in the working tree, not yet committed
    await mkdir(dirname(join(to, file)), { recursive: true });
    await copyFile(source, join(to, file));
    await chmod(join(to, file), info.mode & 0o777);
  }
}

/**
 * A terminal's environment: no tokenleader settings a developer exported, nothing `pnpm test`
 * and vitest put there (npm_* variables, node_modules/.bin on PATH, NODE_ENV).
 */
function newUserEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = cleanEnv(extra);
  for (const key of Object.keys(env)) {
    if (
      /^(npm_|pnpm_|VITEST)/i.test(key) ||
      ["NODE_ENV", "INIT_CWD", "NODE_OPTIONS"].includes(key)
    ) {
      delete env[key];
    }
  }
  env["PATH"] = (env["PATH"] ?? "")
    .split(delimiter)
    .filter((dir) => !dir.includes("node_modules"))
    .join(delimiter);
  return env;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

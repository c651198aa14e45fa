import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cleanEnv, freePort, runProcess } from "../e2e/support/processes.js";
import type { ShellBlock } from "./readme-blocks.js";
import { buildReadmeScript } from "./readme-script.js";

// The README test's harness must fail when a README command fails.

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function runBlocks(blocks: ShellBlock[]) {
  dir = await mkdtemp(join(tmpdir(), "tl-readme-script-test-"));
  const { files } = buildReadmeScript(blocks, {
    scriptDir: dir,
    readyUrl: `http://127.0.0.1:${await freePort()}`,
    serverPidFile: join(dir, "server.pid"),
    serverLogFile: join(dir, "server.log"),
    readyTimeoutSeconds: 5,
  });
  for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content);
  return runProcess("bash", [join(dir, "main.sh")], { cwd: dir, env: cleanEnv() });
}

const block = (line: number, code: string, mode: ShellBlock["mode"] = "run"): ShellBlock => ({
  line,
  code,
  mode,
});

describe("README script", () => {
  it("runs the blocks in order in one shell: variables and the directory carry over", async () => {
    const run = await runBlocks([
      block(3, "X=1\nmkdir sub && cd sub"),
      block(9, 'echo "x=$X in $(basename "$PWD")"'),
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("x=1 in sub\n");
  });

  it("stops at the first failing command, in a pipeline too, and the exit status says so", async () => {
    for (const failing of ["false", "false | cat", "echo $UNSET_VARIABLE"]) {
      const run = await runBlocks([
        block(3, "echo before"),
        block(7, `${failing}\necho same block`),
        block(12, "echo after"),
      ]);
      expect({ failing, code: run.code, stdout: run.stdout }).toEqual({
        failing,
        code: 1,
        stdout: "before\n",
      });
      expect(run.stderr).toMatch(/### README\.md line 7\n# [\d:]+\n[^#]*$/);
    }
  });

  it("skips the blocks marked as not run", async () => {
    const run = await runBlocks([block(3, "exit 9", "skip"), block(7, "echo ran")]);
    expect(run).toMatchObject({ code: 0, stdout: "ran\n" });
  });

  it("fails when a background block (the server) stops before it is ready", async () => {
    const run = await runBlocks([
      block(3, "echo starting; exit 3", "background"),
      block(7, "echo after"),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("the server stopped:\nstarting\n");
  });
});

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { assertCompiled, runCli } from "./support/processes.js";

// Every CLI answers --version with its package's version, as real processes.

const root = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const versionOf = (pkg: string) =>
  (JSON.parse(readFileSync(root(`packages/${pkg}/package.json`), "utf8")) as { version: string })
    .version;

const CLIS = [
  ["tokenleader-server", "server"],
  ["adminops", "server"],
  ["db-migration", "server"],
  ["tokenleader", "client"],
  ["tokenleader-auth", "client"],
] as const;

describe("--version", () => {
  it.each(CLIS)("%s prints its package's version and exits 0", async (cli, pkg) => {
    assertCompiled();
    const run = await runCli(root(`packages/${pkg}/bin/${cli}.js`), ["--version"]);
    expect(run).toEqual({ code: 0, stdout: `${versionOf(pkg)}\n`, stderr: "" });
  });

  it("is listed in each CLI's --help", async () => {
    const helps = await Promise.all(
      CLIS.map(([cli, pkg]) => runCli(root(`packages/${pkg}/bin/${cli}.js`), ["--help"])),
    );
    for (const help of helps) expect(help.stdout).toMatch(/--version\s+Show version number/);
  });
});

import type { ShellBlock } from "./readme-blocks.js";

// Turns the README's blocks into one bash script that runs them as a user in one terminal would:
// in order, sharing variables and the working directory, stopping at the first failing command.
// A background block (the server) runs in its own session, so that stopping it stops all of
// `pnpm start`'s processes; the script waits until it is ready before going on.

export interface ReadmeScript {
  /** File name (in scriptDir) → content: `main.sh` plus one file per block. */
  files: Record<string, string>;
}

export interface ReadmeScriptOptions {
  /** The folder the files are written to (the script runs in the checkout, elsewhere). */
  scriptDir: string;
  /** Where /readyz of a background server answers, e.g. http://127.0.0.1:5001. */
  readyUrl: string;
  /** Where the background server's pid (= its process group) and output go. */
  serverPidFile: string;
  serverLogFile: string;
  readyTimeoutSeconds: number;
}

export function buildReadmeScript(
  blocks: readonly ShellBlock[],
  options: ReadmeScriptOptions,
): ReadmeScript {
  const files: Record<string, string> = {};
  const main = [
    "set -euo pipefail",
    // Whatever happens, the server does not outlive the script.
    `stop_server() { if [ -s ${q(options.serverPidFile)} ]; then kill -TERM -- -"$(cat ${q(options.serverPidFile)})" 2>/dev/null || true; fi; }`,
    "trap stop_server EXIT",
  ];
  for (const block of blocks) {
    if (block.mode === "skip") continue;
    const file = `readme-line-${block.line}.sh`;
    files[file] = `${block.code}\n`;
    main.push(`echo "### README.md line ${block.line}" >&2`, `date +"# %T" >&2`);
    if (block.mode === "run") {
      main.push(`source ${q(`${options.scriptDir}/${file}`)}`);
      continue;
    }
    main.push(
      `setsid bash -euo pipefail ${q(`${options.scriptDir}/${file}`)} >${q(options.serverLogFile)} 2>&1 </dev/null &`,
      `echo $! >${q(options.serverPidFile)}`,
      `for _ in $(seq ${options.readyTimeoutSeconds * 5}); do`,
      `  if curl -sf ${q(`${options.readyUrl}/readyz`)} >/dev/null; then break; fi`,
      `  if ! kill -0 "$(cat ${q(options.serverPidFile)})" 2>/dev/null; then echo "the server stopped:" >&2; cat ${q(options.serverLogFile)} >&2; exit 1; fi`,
      "  sleep 0.2",
      "done",
      `curl -sf ${q(`${options.readyUrl}/readyz`)} >/dev/null || { echo "not ready after ${options.readyTimeoutSeconds} s:" >&2; cat ${q(options.serverLogFile)} >&2; exit 1; }`,
    );
  }
  files["main.sh"] = `${main.join("\n")}\n`;
  return { files };
}

/** Single-quoted for bash. */
function q(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

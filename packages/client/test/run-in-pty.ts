import { spawn } from "node:child_process";

// Runs a program on a real pseudo-terminal (python3's pty module), so that what only happens
// on a terminal can be tested: hidden prompts, Ctrl-C, Ctrl-D. Also used by the server's
// adminops process tests.

export interface PtyRun {
  /** The exit status (negative: killed by that signal). */
  code: number;
  /** Everything the program wrote to the terminal (stdout and stderr together). */
  output: string;
}

/** Each step waits until `waitFor` has appeared in the output (after the previous one), then types `send`. */
export interface PtyStep {
  waitFor: string;
  send: string;
}

const DRIVER = `
import json, os, pty, select, sys, time
argv, steps, timeout = json.loads(sys.argv[1]), json.loads(sys.argv[2]), float(sys.argv[3])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
out = b""
seen = 0
deadline = time.monotonic() + timeout
def read_some():
    global out
    ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
    if not ready:
        raise SystemExit("timed out; output so far: " + out.decode(errors="replace"))
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        chunk = b""
    out += chunk
    return chunk != b""
for step in steps:
    want = step["waitFor"].encode()
    while out.find(want, seen) < 0:
        if not read_some():
            raise SystemExit("ended before " + repr(step["waitFor"]) + ": " + out.decode(errors="replace"))
    seen = out.find(want, seen) + len(want)
    time.sleep(0.05)
    os.write(fd, step["send"].encode())
while read_some():
    pass
_, status = os.waitpid(pid, 0)
print(json.dumps({"code": os.waitstatus_to_exitcode(status), "output": out.decode(errors="replace")}))
`;

/** Runs `argv` on a pseudo-terminal, typing each step's text once its prompt has appeared. */
export function runInPty(
  argv: string[],
  steps: PtyStep[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<PtyRun> {
  const timeout = (options.timeoutMs ?? 20_000) / 1000;
  return new Promise((resolve, reject) => {
    const child = spawn(
      "python3",
      ["-c", DRIVER, JSON.stringify(argv), JSON.stringify(steps), String(timeout)],
      {
        env: options.env ?? process.env,
        ...(options.cwd ? { cwd: options.cwd } : {}),
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`pty driver failed (${code}): ${stderr}`));
        return;
      }
      resolve(JSON.parse(stdout) as PtyRun);
    });
  });
}

/** What the terminal sends for Ctrl-C and Ctrl-D. */
export const CTRL_C = "\x03";
export const CTRL_D = "\x04";

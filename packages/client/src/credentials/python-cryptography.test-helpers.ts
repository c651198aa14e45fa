import { spawnSync } from "node:child_process";
import { it } from "vitest";

/** The interpreter to use; TOKENLEADER_TEST_PYTHON picks another one (e.g. to check the skip path). */
const PYTHON = process.env.TOKENLEADER_TEST_PYTHON || "python3";

/** Whether `python3` exists here and can import Python's `cryptography` Fernet. */
export function pythonCryptographyAvailable(): boolean {
  const probe = spawnSync(PYTHON, ["-c", "import cryptography.fernet"], { encoding: "utf8" });
  return probe.status === 0;
}

/** Runs a Python snippet with the given stdin; returns stdout (throws with stderr on failure). */
export function runPython(code: string, input = ""): string {
  const res = spawnSync(PYTHON, ["-c", code], { input, encoding: "utf8" });
  if (res.status !== 0) throw new Error(`python3 failed: ${res.stderr || res.error}`);
  return res.stdout;
}

const available = pythonCryptographyAvailable();

/**
 * A test that needs Python's `cryptography` package. Debian machines get it with
 * `apt-get install -y python3-cryptography`; where python3 lacks it (some CI images) this one test is
 * skipped with a visible line instead of failing — nothing else is ever skipped.
 */
export function itWhenPythonCryptographyInstalled(
  name: string,
  fn: () => void | Promise<void>,
): void {
  if (!available) {
    console.warn(
      `SKIPPED "${name}": python3 with the "cryptography" module is not installed here ` +
        "(apt-get install -y python3-cryptography)",
    );
  }
  it.skipIf(!available)(name, fn);
}

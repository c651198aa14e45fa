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

/** Set by .ci/run (like TOKENLEADER_TEST_REQUIRE_POSTGRES): a missing Python fails, never skips. */
export function pythonRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env["TOKENLEADER_TEST_REQUIRE_PYTHON"] === "1";
}

/** What to do with a test that needs Python's `cryptography`. */
export function pythonTestMode(available: boolean, required: boolean): "run" | "skip" | "fail" {
  if (available) return "run";
  return required ? "fail" : "skip";
}

const mode = pythonTestMode(pythonCryptographyAvailable(), pythonRequired());
const MISSING = `python3 with the "cryptography" module is not installed here (${PYTHON}; apt-get install -y python3-cryptography)`;

/**
 * A test that needs Python's `cryptography` package. Where python3 lacks it (a laptop) this one test
 * is skipped with a visible line — nothing else is ever skipped — unless
 * TOKENLEADER_TEST_REQUIRE_PYTHON=1 (CI), where it fails instead.
 */
export function itWhenPythonCryptographyInstalled(
  name: string,
  fn: () => void | Promise<void>,
): void {
  if (mode === "fail") {
    it(name, () => {
      throw new Error(`${MISSING}, and TOKENLEADER_TEST_REQUIRE_PYTHON=1 requires it`);
    });
    return;
  }
  if (mode === "skip") console.warn(`SKIPPED "${name}": ${MISSING}`);
  it.skipIf(mode === "skip")(name, fn);
}

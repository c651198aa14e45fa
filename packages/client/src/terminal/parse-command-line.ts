import type { Argv } from "yargs";
import { readPackageVersion } from "./package-version.js";

// What every command-line program of the project does alike after declaring its commands and
// options: unknown flags are errors, -h/--help, --version from the package's own package.json,
// text wrapped to the terminal, no process.exit from yargs, and a usage error reported back
// instead of printed by yargs.

export type ParsedCommandLine<T> =
  | { readonly flags: T & { help?: boolean; version?: boolean }; readonly usageError: null }
  | { readonly flags: null; readonly usageError: string };

export async function parseCommandLine<T>(
  parser: Argv<T>,
  packageJsonUrl: URL,
): Promise<ParsedCommandLine<T>> {
  let usageError: string | null = null;
  const finished = parser
    .strict()
    .help()
    .alias("h", "help")
    .version(readPackageVersion(packageJsonUrl))
    .wrap(Math.min(100, process.stdout.columns || 100))
    .exitProcess(false)
    // Throwing stops yargs before any handler runs (with exitProcess(false) it would go on).
    .fail((message, err) => {
      usageError = message ?? err?.message ?? "invalid arguments";
      throw new Error(usageError);
    });
  try {
    const flags = (await finished.parseAsync()) as T & { help?: boolean; version?: boolean };
    if (usageError === null) return { flags, usageError: null };
  } catch (err) {
    usageError ??= err instanceof Error ? err.message : String(err);
  }
  return { flags: null, usageError: usageError ?? "invalid arguments" };
}

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The `version` field of the package.json at `packageJsonUrl`: what a CLI prints for `--version`.
 * Read from the file the package ships, so it can never disagree with the published version.
 */
export function readPackageVersion(packageJsonUrl: URL): string {
  const { version } = JSON.parse(readFileSync(packageJsonUrl, "utf8")) as { version?: unknown };
  if (typeof version !== "string" || version === "") {
    throw new Error(`${fileURLToPath(packageJsonUrl)} has no "version"`);
  }
  return version;
}

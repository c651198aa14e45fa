import fs from "node:fs";
import path from "node:path";

/** Where installs keep the settings file (the original's fixed path). */
export const SYSTEM_SETTINGS_FILE = "/etc/tokenleader/tokenleader_settings.ini";
/** Installs keep their data here; a checkout uses ./var instead. */
export const SYSTEM_DATA_DIR = "/var/lib/tokenleader";

export type SettingsFileLocation =
  | { kind: "file"; path: string; origin: "--config" | "TOKENLEADER_CONFIG" | "system" }
  | { kind: "defaults" }
  | { kind: "missing"; problem: string };

/**
 * Precedence: `--config PATH`, then `TOKENLEADER_CONFIG`, then the system file if it exists,
 * else the built-in development defaults. A file named explicitly must exist.
 */
export function locateSettingsFile(options: {
  configPath?: string;
  env: Record<string, string | undefined>;
  cwd: string;
  systemFile?: string;
}): SettingsFileLocation {
  if (options.configPath !== undefined && options.configPath !== "") {
    const resolved = path.resolve(options.cwd, options.configPath);
    if (!isFile(resolved)) {
      return {
        kind: "missing",
        problem: `--config ${options.configPath}: no such settings file (${resolved}); pass an existing file or copy etc/tokenleader_settings.ini there`,
      };
    }
    return { kind: "file", path: resolved, origin: "--config" };
  }
  const fromEnv = options.env.TOKENLEADER_CONFIG;
  if (fromEnv !== undefined && fromEnv !== "") {
    const resolved = path.resolve(options.cwd, fromEnv);
    if (!isFile(resolved)) {
      return {
        kind: "missing",
        problem: `environment variable TOKENLEADER_CONFIG=${fromEnv}: no such settings file (${resolved}); point it at an existing file or unset it`,
      };
    }
    return { kind: "file", path: resolved, origin: "TOKENLEADER_CONFIG" };
  }
  const systemFile = options.systemFile ?? SYSTEM_SETTINGS_FILE;
  if (isFile(systemFile)) return { kind: "file", path: systemFile, origin: "system" };
  return { kind: "defaults" };
}

function isFile(candidate: string): boolean {
  try {
    return fs.statSync(candidate).isFile();
  } catch {
    return false;
  }
}

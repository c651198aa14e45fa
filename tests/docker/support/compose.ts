import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { COMPOSE_FILE } from "./dockerfile.js";

// docker/compose.yaml as `docker compose config` reads it, as far as the tests need: YAML with
// anchors and merge keys (`<<: *tokenleader`), and `${VAR:-default}` interpolation.

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  secrets?: string[];
  volumes?: string[];
  ports?: string[];
  networks?: string[] | Record<string, { ipv4_address?: string } | null>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean; interval?: string; retries?: number };
  restart?: string;
  stop_grace_period?: string;
}

export interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  secrets?: Record<string, { file?: string; environment?: string }>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { ipam?: { config?: { subnet?: string }[] } }>;
}

export function readCompose(file: string = COMPOSE_FILE): ComposeFile {
  return parse(readFileSync(file, "utf8"), { merge: true }) as ComposeFile;
}

/**
 * A value with `${VAR:-default}` / `${VAR-default}` / `${VAR}` taken from `env` (compose's
 * rules: `:-` also replaces an empty value), `$$` a literal dollar.
 */
export function interpolate(value: string, env: Record<string, string | undefined> = {}): string {
  return value.replace(
    /\$\$|\$\{(\w+)(?:(:?-)([^}]*))?\}/g,
    (whole, name?: string, operator?: string, fallback?: string) => {
      if (whole === "$$") return "$";
      const current = env[name as string];
      if (operator === ":-")
        return current === undefined || current === "" ? (fallback ?? "") : current;
      if (operator === "-") return current === undefined ? (fallback ?? "") : current;
      if (current === undefined) throw new Error(`compose variable ${name} is not set`);
      return current;
    },
  );
}

/** Where a service finds a secret: compose mounts secret NAME at /run/secrets/NAME. */
export const secretPath = (name: string) => `/run/secrets/${name}`;

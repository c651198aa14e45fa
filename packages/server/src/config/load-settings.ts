import fs from "node:fs";
import { isIP } from "node:net";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseLoginSettings } from "../login/settings.js";
import { normaliseDatabaseUrl } from "./database-url.js";
import { deepFreeze } from "./deep-freeze.js";
import { coerceIniValue, type IniDocument, type IniValue, parseIni } from "./ini.js";
import { locateSettingsFile, SYSTEM_DATA_DIR } from "./locate-settings-file.js";
import {
  SECTIONS_READ_ELSEWHERE,
  SECTIONS_WITH_FLASK_KEYS,
  SETTING_DEFINITIONS,
  type SettingId,
} from "./setting-definitions.js";
import {
  LOG_LEVELS,
  type LogLevel,
  type Settings,
  SettingsError,
  TOKEN_ALGORITHMS,
  type TokenAlgorithm,
} from "./settings-types.js";

export interface LoadSettingsOptions {
  /** `--config PATH`; wins over TOKENLEADER_CONFIG and the system file. */
  configPath?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Command-line flags; win over the environment and the file. */
  overrides?: { dbUrl?: string };
  /** Tests only: stands in for /etc/tokenleader/tokenleader_settings.ini. */
  systemSettingsFile?: string;
}

/** Where a value came from: used in problem lines and to resolve relative paths. */
interface ValueSource {
  value: IniValue;
  describe: string;
  /** Relative paths in this value are relative to this directory. */
  baseDir: string;
}

/**
 * Reads, merges (defaults < file < environment < flags) and validates the settings once.
 * Throws SettingsError listing every problem; never exits the process.
 */
export function loadSettings(options: LoadSettingsOptions = {}): Settings {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const location = locateSettingsFile({
    configPath: options.configPath,
    env,
    cwd,
    systemFile: options.systemSettingsFile,
  });
  if (location.kind === "missing") throw new SettingsError([location.problem]);

  const problems: string[] = [];
  const warnings: string[] = [];
  let document: IniDocument = new Map();
  const configFile = location.kind === "file" ? location.path : null;
  if (configFile) {
    let text: string;
    try {
      text = fs.readFileSync(configFile, "utf8");
    } catch (error) {
      throw new SettingsError([
        `${configFile}: cannot read the settings file (${(error as NodeJS.ErrnoException).code ?? String(error)}); check its permissions`,
      ]);
    }
    const parsed = parseIni(text, { fileName: configFile, here: path.dirname(configFile), env });
    document = parsed.document;
    problems.push(...parsed.problems);
    warnings.push(...findUnknownKeys(document, configFile));
  }

  const sources = collectSources(document, configFile, env, cwd, options.overrides);
  const schema = buildSchema(sources, env);
  const raw = Object.fromEntries(
    Object.entries(sources).map(([id, source]) => [id, source?.value]),
  );
  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const id = issue.path[0] as SettingId;
      const source = sources[id];
      const shown = source ? JSON.stringify(source.value) : "(missing)";
      // Some checks already end their message with the precise fix: do not repeat the generic one.
      const fix =
        issue.code === "custom" && issue.params?.includesFix
          ? ""
          : `; ${SETTING_DEFINITIONS[id].fix}`;
      problems.push(`${source?.describe ?? id}: ${shown} ${issue.message}${fix}`);
    }
  }
  // [login] and [local_auth] have their own parser (login/settings.ts); its lines join ours.
  const loginResult = parseLoginSettings(document, {
    baseDir: configFile ? path.dirname(configFile) : cwd,
    ...(configFile ? { fileName: configFile } : {}),
    // Cookie paths are checked against the routes as the browser sees them (proxy prefix).
    ...(result.success && result.data.publicUrl !== undefined
      ? { publicUrl: result.data.publicUrl }
      : {}),
  });
  warnings.push(...loginResult.warnings);
  if (!loginResult.ok) problems.push(...loginResult.problems);
  if (problems.length > 0 || !result.success || !loginResult.ok) throw new SettingsError(problems);

  const values = result.data;
  const dataDir =
    values.dataDir ??
    (configFile?.startsWith("/etc/") ? SYSTEM_DATA_DIR : path.resolve(cwd, "var"));
  const db = values.dbUrl ?? {
    url: `file:${path.join(dataDir, "tokenleader.db")}`,
    provider: "sqlite" as const,
    file: path.join(dataDir, "tokenleader.db"),
  };
  if (sources.dbUrl && db.file && /^\/tmp(\/|$)/.test(db.file)) {
    warnings.push(
      `${sources.dbUrl.describe}: the database ${db.file} is under /tmp, which is cleared on reboot; move it under the data directory (${dataDir})`,
    );
  }
  const sslEnabled = values.ssl ?? false;
  const host = values.host ?? "127.0.0.1";
  const port = values.port ?? 5001;
  const publicUrl =
    values.publicUrl ?? `${sslEnabled ? "https" : "http"}://${urlHost(host)}:${port}`;

  const settings: Settings = {
    configFile,
    warnings,
    server: {
      host,
      port,
      dataDir,
      publicUrl,
      migrateOnStart: values.migrateOnStart ?? true,
      bodyLimitBytes: values.bodyLimit ?? 1024 * 1024,
      shutdownTimeoutMs: Math.round((values.shutdownTimeout ?? 10) * 1000),
      trustProxy: values.trustProxy ?? false,
      logLevel: values.logLevel ?? "info",
      ssl: { enabled: sslEnabled, settings: values.sslSettings ?? "adhoc" },
    },
    db: { url: db.url, provider: db.provider },
    token: {
      privateKeyFile: values.privateKeyFile ?? null,
      publicKeyFile: values.publicKeyFile ?? null,
      algorithm: values.algorithm ?? "RS512",
      lifetimeSeconds: values.lifetimeSeconds ?? 3600,
      issuer: values.issuer ?? publicUrl,
    },
    passwords: {
      memoryCost: values.memoryCost ?? 19456,
      timeCost: values.timeCost ?? 2,
      parallelism: values.parallelism ?? 1,
    },
    enforcer: {
      roleToAclMapFile:
        values.roleToAclMapFile ??
        (configFile
          ? path.join(path.dirname(configFile), "role_to_acl_map.yml")
          : path.resolve(cwd, "etc", "role_to_acl_map.yml")),
      roleToAclMapConfigured: values.roleToAclMapFile !== undefined,
      superRoles: values.superRoles ?? ["admin"],
    },
    login: loginResult.settings.login,
    localAuth: loginResult.settings.localAuth,
  };
  const cost = settings.passwords.memoryCost * settings.passwords.timeCost;
  if (cost < 35840) {
    throw new SettingsError([
      `${sources.memoryCost?.describe ?? sources.timeCost?.describe ?? "[passwords]"}: argon2 memory ${settings.passwords.memoryCost} KiB x time ${settings.passwords.timeCost} is weaker than the OWASP minimum; ${SETTING_DEFINITIONS.memoryCost.fix}`,
    ]);
  }
  return deepFreeze(settings) as Settings;
}

function collectSources(
  document: IniDocument,
  configFile: string | null,
  env: Record<string, string | undefined>,
  cwd: string,
  overrides: LoadSettingsOptions["overrides"],
): Partial<Record<SettingId, ValueSource>> {
  const sources: Partial<Record<SettingId, ValueSource>> = {};
  for (const [id, definition] of Object.entries(SETTING_DEFINITIONS) as [
    SettingId,
    (typeof SETTING_DEFINITIONS)[SettingId],
  ][]) {
    if (id === "dbUrl" && overrides?.dbUrl !== undefined && overrides.dbUrl !== "") {
      sources[id] = { value: overrides.dbUrl, describe: "--db", baseDir: cwd };
      continue;
    }
    const fromEnv = definition.env ? env[definition.env] : undefined;
    if (definition.env && fromEnv !== undefined && fromEnv !== "") {
      sources[id] = {
        value: coerceIniValue(fromEnv),
        describe: `environment variable ${definition.env}`,
        baseDir: cwd,
      };
      continue;
    }
    const section = document.get(definition.section);
    for (const key of definition.keys) {
      const entry = section?.get(key);
      if (entry && configFile) {
        sources[id] = {
          value: entry.value,
          describe: `${configFile}:${entry.line} [${definition.section}] ${key}`,
          baseDir: path.dirname(configFile),
        };
        break;
      }
    }
  }
  return sources;
}

function buildSchema(
  sources: Partial<Record<SettingId, ValueSource>>,
  env: Record<string, string | undefined>,
) {
  const baseDir = (id: SettingId) => sources[id]?.baseDir ?? process.cwd();
  const home = env.HOME && env.HOME !== "" ? env.HOME : os.homedir();
  const text = (what: string) =>
    z
      .union([z.string(), z.number(), z.boolean()])
      .transform((value) => String(value).trim())
      .refine((value) => value !== "", { error: `is empty: ${what} is required` });
  const integer = (min: number, max: number) =>
    z
      .number({ error: "is not a number" })
      .int({ error: "is not a whole number" })
      .min(min, { error: `is below ${min}` })
      .max(max, { error: `is above ${max}` });
  const booleanish = z.union([z.boolean(), z.string(), z.number()]).transform((value, ctx) => {
    const parsed = parseBooleanish(value);
    if (parsed === undefined) {
      ctx.addIssue({ code: "custom", message: "is not true or false" });
      return z.NEVER;
    }
    return parsed;
  });
  const filePath = (id: SettingId, defaultName?: string) =>
    text("a path").transform((value) =>
      defaultName && value === "default"
        ? path.join(home, ".ssh", defaultName)
        : path.resolve(baseDir(id), expandHome(value, home)),
    );

  return z
    .object({
      host: text("a host").refine((value) => !/\s/.test(value), {
        error: "contains white space",
      }),
      port: integer(1, 65535),
      ssl: z
        .union([z.string(), z.boolean()])
        .transform((value) => value === true || String(value).trim() === "enabled"),
      sslSettings: text("a TLS mode"),
      dataDir: text("a directory").transform((value) =>
        path.resolve(baseDir("dataDir"), expandHome(value, home)),
      ),
      publicUrl: text("a URL").transform((value, ctx) => {
        let parsed: URL;
        try {
          parsed = new URL(value);
        } catch {
          ctx.addIssue({ code: "custom", message: "is not a URL" });
          return z.NEVER;
        }
        if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
          ctx.addIssue({ code: "custom", message: "is not an http(s) URL" });
          return z.NEVER;
        }
        return value.replace(/\/+$/, "");
      }),
      migrateOnStart: booleanish,
      bodyLimit: z.union([z.number(), z.string()]).transform((value, ctx) => {
        const bytes = parseByteSize(value);
        if (bytes === undefined || bytes < 1024 || bytes > 100 * 1024 * 1024) {
          ctx.addIssue({ code: "custom", message: "is not a size between 1kb and 100mb" });
          return z.NEVER;
        }
        return bytes;
      }),
      shutdownTimeout: z
        .number({ error: "is not a number" })
        .min(0, { error: "is negative" })
        .max(600, { error: "is above 600" }),
      // Proxy addresses, as proxy-addr (Fastify) reads them; a hop count is not offered because
      // Fastify refuses to trust one (it cannot tell a proxy from a client that adds hops).
      trustProxy: z.union([z.boolean(), z.string(), z.number()]).transform((value, ctx) => {
        // A number is read as a hop count (what Express and Fastify mean by it), never as a
        // boolean: `1` silently meaning "trust every entry" would let clients forge addresses.
        if (/^\s*0\s*$/.test(String(value))) return false;
        if (/^\s*\d+\s*$/.test(String(value))) {
          ctx.addIssue({
            code: "custom",
            message:
              "is a hop count; hop counts are not supported (Fastify cannot safely trust them: it cannot tell a proxy from a client that adds hops); fix: list the proxies' addresses instead (e.g. 127.0.0.1 or 10.0.0.0/8, comma-separated)",
            params: { includesFix: true },
          });
          return z.NEVER;
        }
        const parsed = parseBooleanish(value);
        if (parsed !== undefined) return parsed;
        const entries = String(value)
          .split(",")
          .map((entry) => entry.trim())
          .filter((entry) => entry !== "");
        const bad = entries.filter((entry) => !isProxyAddress(entry));
        if (entries.length === 0 || bad.length > 0) {
          ctx.addIssue({
            code: "custom",
            message: `is not true, false or a list of proxy addresses${bad.length > 0 ? ` (${bad.join(", ")})` : ""}`,
          });
          return z.NEVER;
        }
        return entries;
      }),
      logLevel: text("a log level").transform((value, ctx) => {
        const level = value.toLowerCase();
        if (!(LOG_LEVELS as readonly string[]).includes(level)) {
          ctx.addIssue({ code: "custom", message: "is not a known log level" });
          return z.NEVER;
        }
        return level as LogLevel;
      }),
      dbUrl: text("a database URL").transform((value, ctx) => {
        const normalised = normaliseDatabaseUrl(value, baseDir("dbUrl"));
        if (typeof normalised === "string") {
          ctx.addIssue({
            code: "custom",
            message: `is not usable: ${normalised}`,
            params: { includesFix: true },
          });
          return z.NEVER;
        }
        return normalised;
      }),
      privateKeyFile: filePath("privateKeyFile", "id_rsa"),
      publicKeyFile: filePath("publicKeyFile", "id_rsa.pub"),
      algorithm: text("an algorithm").transform((value, ctx) => {
        const match = TOKEN_ALGORITHMS.find((name) => name.toLowerCase() === value.toLowerCase());
        if (!match) {
          ctx.addIssue({ code: "custom", message: "is not a supported signing algorithm" });
          return z.NEVER;
        }
        return match as TokenAlgorithm;
      }),
      lifetimeSeconds: integer(60, 2592000),
      issuer: text("an issuer"),
      memoryCost: integer(7168, 4194304),
      timeCost: integer(1, 100),
      parallelism: integer(1, 16),
      roleToAclMapFile: filePath("roleToAclMapFile"),
      // "none" spells the empty list where an empty value cannot: an empty environment
      // variable counts as unset, so TOKENLEADER_SUPER_ROLES= would keep the default.
      superRoles: z.union([z.string(), z.number(), z.boolean()]).transform((value) => {
        const roles = String(value)
          .split(",")
          .map((role) => role.trim())
          .filter((role) => role !== "");
        return roles.length === 1 && roles[0]?.toLowerCase() === "none" ? [] : roles;
      }),
    })
    .partial();
}

/** Unknown sections and keys are warnings, not errors: the file still works, but a typo shows. */
function findUnknownKeys(document: IniDocument, configFile: string): string[] {
  const warnings: string[] = [];
  const known = new Map<string, string[]>();
  for (const definition of Object.values(SETTING_DEFINITIONS)) {
    known.set(definition.section, [...(known.get(definition.section) ?? []), ...definition.keys]);
  }
  for (const [section, entries] of document) {
    const keys = known.get(section);
    if (!keys) {
      if (SECTIONS_READ_ELSEWHERE.includes(section)) continue;
      const hint = closest(section, [...known.keys(), ...SECTIONS_READ_ELSEWHERE]);
      warnings.push(
        `${configFile}: unknown section [${section}] is ignored${hint ? `; did you mean [${hint}]?` : ""}`,
      );
      continue;
    }
    for (const [key, entry] of entries) {
      if (keys.includes(key)) continue;
      if (SECTIONS_WITH_FLASK_KEYS.includes(section) && /^[A-Z][A-Z0-9_]*$/.test(key)) continue;
      const hint = closest(key, keys);
      warnings.push(
        `${configFile}:${entry.line} [${section}] ${key}: unknown key is ignored${hint ? `; did you mean "${hint}"?` : ""}`,
      );
    }
  }
  return warnings;
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= 3 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(
        above + 1,
        previous[j - 1]! + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** An IP address, a CIDR range, or one of proxy-addr's names for address ranges. */
function isProxyAddress(entry: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(entry)) return true;
  const [address, bits, ...rest] = entry.split("/");
  const family = isIP(address ?? "");
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

function parseBooleanish(value: IniValue): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === 1) return true;
  if (value === 0) return false;
  const word = String(value).trim().toLowerCase();
  if (["true", "yes", "on", "enabled"].includes(word)) return true;
  if (["false", "no", "off", "disabled"].includes(word)) return false;
  return undefined;
}

function parseByteSize(value: IniValue): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) ? value : undefined;
  const match = /^\s*(\d+)\s*(b|kb|k|kib|mb|m|mib)?\s*$/i.exec(String(value));
  if (!match) return undefined;
  const unit = (match[2] ?? "b").toLowerCase();
  const multiplier = unit.startsWith("k") ? 1024 : unit.startsWith("m") ? 1024 * 1024 : 1;
  return Number(match[1]) * multiplier;
}

function expandHome(value: string, home: string): string {
  return value === "~" || value.startsWith("~/") ? path.join(home, value.slice(1)) : value;
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

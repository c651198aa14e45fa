import fs from "node:fs";
import path from "node:path";
import { DEFAULT_CLOCK_LEEWAY_SEC } from "@tokenleader/client";
import {
  coerceIniValue,
  type IniDocument,
  type IniValue,
  PASSWORD_MIN_LENGTH,
  parseIni,
} from "@tokenleader/client/settings";
import { POSTGRES_POOL_DEFAULTS } from "../db/postgres-pool.js";
import { DEFAULT_RSA_KEY_BITS } from "../keys/algorithms.js";
import { DEFAULT_MAX_QUEUED_HASHES, defaultMaxConcurrentHashes } from "../passwords/hash-slots.js";
import { DEFAULT_HASH_THREAD_NICE } from "../passwords/hash-threads.js";
import { resolveConnectionTimeouts } from "./connection-timeouts.js";
import { deepFreeze } from "./deep-freeze.js";
import { locateSettingsFile, SYSTEM_DATA_DIR } from "./locate-settings-file.js";
import { resolveLoginSettings } from "./login-settings.js";
import { resolveMetricsSettings } from "./metrics-settings.js";
import { conflictingSecretVariables, readSecretFile } from "./secret-file-variables.js";
import { resolveTlsSettings } from "./server-tls-settings.js";
import { SETTING_DEFINITIONS, type SettingId } from "./setting-definitions.js";
import { buildSettingsSchema, type ValueSource } from "./setting-schemas.js";
import { type Settings, SettingsError } from "./settings-types.js";
import { findUnknownKeys } from "./unknown-keys.js";

/**
 * Each instance re-reads the signing keys this often when no PostgreSQL notice told it sooner
 * (SQLite, or a notice lost while the listening connection was down).
 */
const DEFAULT_KEY_SET_REFRESH_SECONDS = 30;
/**
 * A rotated key is published this long before it signs: the JWKS cache lifetime verifiers are
 * told (300 s) plus twice the instances' refresh interval, so a verifier that honours HTTP caching
 * has fetched the new key before the first token signed with it exists.
 */
const DEFAULT_KEY_ROTATION_LEAD_SECONDS = 360;

export interface LoadSettingsOptions {
  /** `--config PATH`; wins over TOKENLEADER_CONFIG and the system file. */
  configPath?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /**
   * Command-line flags (`--db`, `--host`, `--port`, `--migrate`), by setting; win over the
   * environment and the file. Problems name the flag.
   */
  overrides?: Partial<Record<SettingId, IniValue | undefined>>;
  /** Tests only: stands in for /etc/tokenleader/tokenleader_settings.ini. */
  systemSettingsFile?: string;
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
    const unknown = findUnknownKeys(document, configFile);
    problems.push(...unknown.problems);
    warnings.push(...unknown.warnings);
  }

  problems.push(...conflictingSecretVariables(env));
  const { sources, problems: sourceProblems } = collectSources(
    document,
    configFile,
    env,
    cwd,
    options.overrides,
  );
  problems.push(...sourceProblems);
  const schema = buildSettingsSchema(sources, env);
  const raw = Object.fromEntries(
    Object.entries(sources).map(([id, source]) => [id, source?.value]),
  );
  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const id = issue.path[0] as SettingId;
      const source = sources[id];
      const shown = !source
        ? "(missing)"
        : source.secret
          ? "(the file's content, not shown)"
          : JSON.stringify(source.value);
      // Some checks already end their message with the precise fix: do not repeat the generic one.
      const fix =
        issue.code === "custom" && issue.params?.includesFix
          ? ""
          : `; ${SETTING_DEFINITIONS[id].fix}`;
      problems.push(`${source?.describe ?? id}: ${shown} ${issue.message}${fix}`);
    }
    throw new SettingsError(problems);
  }
  const values = result.data;
  const login = resolveLoginSettings(values, sources, {
    configFile,
    // Cookie paths are checked against the routes as the browser sees them (proxy prefix).
    publicUrl: values.publicUrl,
  });
  problems.push(...login.problems);
  warnings.push(...login.warnings);
  const connection = resolveConnectionTimeouts(values, sources);
  problems.push(...connection.problems);
  const tls = resolveTlsSettings(values, sources);
  problems.push(...tls.problems);
  const metrics = resolveMetricsSettings(values, sources);
  warnings.push(...metrics.warnings);
  if (problems.length > 0) throw new SettingsError(problems);

  const dataDir = values.dataDir ?? defaultDataDir(configFile, cwd);
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
  const host = values.host ?? "127.0.0.1";
  const port = values.port ?? 5001;
  const publicUrl = values.publicUrl ?? `${tls.tls ? "https" : "http"}://${urlHost(host)}:${port}`;

  const settings: Settings = {
    configFile,
    warnings,
    server: {
      host,
      port,
      dataDir,
      publicUrl,
      migrateOnStart: values.migrateOnStart ?? true,
      issuerChange: values.issuerChange ?? false,
      bodyLimitBytes: values.bodyLimit ?? 1024 * 1024,
      shutdownTimeoutMs: Math.round((values.shutdownTimeout ?? 10) * 1000),
      workers: values.workers ?? 1,
      timeouts: connection.timeouts,
      trustProxy: values.trustProxy ?? false,
      logLevel: values.logLevel ?? "info",
      tls: tls.tls,
      accessLog: values.accessLog ?? true,
    },
    db: {
      url: db.url,
      provider: db.provider,
      connectTimeoutMs: Math.round(
        (values.dbConnectTimeout ?? POSTGRES_POOL_DEFAULTS.connectTimeoutMs / 1000) * 1000,
      ),
      statementTimeoutMs: Math.round(
        (values.dbStatementTimeout ?? POSTGRES_POOL_DEFAULTS.statementTimeoutMs / 1000) * 1000,
      ),
      poolSize: values.dbPoolSize ?? POSTGRES_POOL_DEFAULTS.poolSize,
    },
    token: {
      privateKeyFile: values.privateKeyFile ?? null,
      publicKeyFile: values.publicKeyFile ?? null,
      keyEncryptionKeyFile: values.keyEncryptionKeyFile ?? null,
      algorithm: values.algorithm ?? "RS512",
      rsaKeyBits: values.rsaKeyBits ?? DEFAULT_RSA_KEY_BITS,
      lifetimeSeconds: values.lifetimeSeconds ?? 3600,
      issuer: values.issuer ?? publicUrl,
      clockLeewaySeconds: values.clockLeeway ?? DEFAULT_CLOCK_LEEWAY_SEC,
      acceptTokensWithoutIssuer: values.acceptTokensWithoutIssuer ?? false,
      profile: values.tokenProfile ?? "tokenleader",
      keyRotationLeadSeconds: values.keyRotationLead ?? DEFAULT_KEY_ROTATION_LEAD_SECONDS,
      keySetRefreshSeconds: values.keySetRefresh ?? DEFAULT_KEY_SET_REFRESH_SECONDS,
    },
    passwords: {
      memoryCost: values.memoryCost ?? 19456,
      timeCost: values.timeCost ?? 2,
      parallelism: values.parallelism ?? 1,
      minLength: values.passwordMinLength ?? PASSWORD_MIN_LENGTH,
      maxConcurrentHashes: values.maxConcurrentHashes ?? defaultMaxConcurrentHashes(),
      maxQueuedHashes: values.maxQueuedHashes ?? DEFAULT_MAX_QUEUED_HASHES,
      hashThreadNice: values.hashThreadNice ?? DEFAULT_HASH_THREAD_NICE,
    },
    audit: { retentionDays: values.auditRetentionDays ?? 90 },
    enforcer: {
      roleToAclMapFile:
        values.roleToAclMapFile ??
        (configFile
          ? path.join(path.dirname(configFile), "role_to_acl_map.yml")
          : path.resolve(cwd, "etc", "role_to_acl_map.yml")),
      roleToAclMapConfigured: values.roleToAclMapFile !== undefined,
      superRoles: values.superRoles ?? ["admin"],
    },
    login: login.login,
    localAuth: login.localAuth,
    metrics: metrics.metrics,
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
): { sources: Partial<Record<SettingId, ValueSource>>; problems: string[] } {
  const sources: Partial<Record<SettingId, ValueSource>> = {};
  const problems: string[] = [];
  for (const [id, definition] of Object.entries(SETTING_DEFINITIONS) as [
    SettingId,
    (typeof SETTING_DEFINITIONS)[SettingId],
  ][]) {
    const fromFlag = overrides?.[id];
    if (fromFlag !== undefined && fromFlag !== "") {
      const flag = definition.flag ?? id;
      // A flag's text reads like an environment variable's: "5001" is a number.
      const value = typeof fromFlag === "string" ? coerceIniValue(fromFlag) : fromFlag;
      sources[id] = { value, describe: flag, where: flag, baseDir: cwd };
      continue;
    }
    const fromEnv = definition.env ? env[definition.env] : undefined;
    if (definition.env && fromEnv !== undefined && fromEnv !== "") {
      const describe = `environment variable ${definition.env}`;
      sources[id] = { value: coerceIniValue(fromEnv), describe, where: describe, baseDir: cwd };
      continue;
    }
    const secretFile = definition.envFile ? env[definition.envFile] : undefined;
    if (definition.envFile && secretFile !== undefined && secretFile !== "") {
      const read = readSecretFile(definition.envFile, secretFile, cwd);
      if ("problem" in read) {
        problems.push(read.problem);
        continue;
      }
      const describe = `environment variable ${definition.envFile}=${secretFile}`;
      // The content as it is (no INI coercion): a secret is text.
      sources[id] = { value: read.value, describe, where: describe, baseDir: cwd, secret: true };
      continue;
    }
    const section = document.get(definition.section);
    for (const key of definition.keys) {
      const entry = section?.get(key);
      if (entry && configFile) {
        sources[id] = {
          value: entry.value,
          describe: `${configFile}:${entry.line} [${definition.section}] ${key}`,
          where: `${configFile}:${entry.line}`,
          baseDir: path.dirname(configFile),
        };
        break;
      }
    }
  }
  return { sources, problems };
}

function urlHost(host: string): string {
  if (host === "0.0.0.0" || host === "::" || host === "") return "localhost";
  return host.includes(":") ? `[${host}]` : host;
}

/**
 * Without `data_dir`: beside the settings file (`var` in its folder, as relative paths in the
 * file are relative to it, so the server keeps its data wherever it is started from);
 * /var/lib/tokenleader for the system file under /etc; with no settings file at all, ./var in the
 * working directory (a checkout's `pnpm start`).
 */
function defaultDataDir(configFile: string | null, cwd: string): string {
  if (configFile === null) return path.resolve(cwd, "var");
  if (configFile.startsWith("/etc/")) return SYSTEM_DATA_DIR;
  return path.join(path.dirname(configFile), "var");
}

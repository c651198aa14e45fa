// The rules each setting's value must follow (zod), for the file, the environment and the flags
// alike. Problems are worded "<value> is …"; the loader adds where the value came from and the fix
// from SETTING_DEFINITIONS.

import { isIP } from "node:net";
import os from "node:os";
import path from "node:path";
import { SIGNING_ALGORITHMS, TOKEN_PROFILES } from "@tokenleader/client";
import { type IniValue, PASSWORD_MAX_LENGTH, parseYesNo } from "@tokenleader/client/settings";
import { z } from "zod";
import { RSA_KEY_BITS_CHOICES } from "../keys/algorithms.js";
import { normaliseDatabaseUrl } from "./database-url.js";
import { MAX_WORKERS, type SettingId } from "./setting-definitions.js";
import { LOG_LEVELS, type LogLevel, SAME_SITE_VALUES, type UserSource } from "./settings-types.js";

/** Above this a login attempt limit protects nothing (argon2 itself is slower): surely a typo. */
export const MAX_GUESSING_FAILURES = 10_000;

/** Where a value came from: used in problem lines and to resolve relative paths. */
export interface ValueSource {
  value: IniValue;
  /** `file:line [section] key`, `environment variable NAME` or `--flag`. */
  describe: string;
  /** `file:line` for a value from the settings file, else `describe`. */
  where: string;
  /** Relative paths in this value are relative to this directory. */
  baseDir: string;
  /** Read from a secret file: problem lines must not show the value. */
  secret?: boolean;
}

/**
 * The rules of every setting's value, keyed like SETTING_DEFINITIONS. `sources` says where each
 * value came from (relative paths are resolved against its `baseDir`). Every field is optional:
 * the loader fills in the defaults.
 */
export function buildSettingsSchema(
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
  const seconds = (min: number, max: number) =>
    z
      .number({ error: "is not a number" })
      .min(min, { error: `is below ${min}` })
      .max(max, { error: `is above ${max}` });
  const yesNo = z.union([z.boolean(), z.string(), z.number()]).transform((value, ctx) => {
    const parsed = parseYesNo(value);
    if (parsed === undefined) {
      ctx.addIssue({ code: "custom", message: "is not true or false" });
      return z.NEVER;
    }
    return parsed;
  });
  const cookiePath = text("a path").refine((value) => /^\/[^\s;,]*$/.test(value), {
    error: "is not a path starting with / without spaces, ';' or ','",
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
      sslSettings: text("a TLS mode").transform((value, ctx) => {
        const mode = value.toLowerCase();
        if (mode === "adhoc" || mode === "files") return mode;
        // Flask also took a (cert, key) pair in code; from a settings file only "adhoc" worked.
        ctx.addIssue({
          code: "custom",
          message: value.includes(",")
            ? 'is not "adhoc" or "files"; fix: set ssl_settings = files and name the certificate and key in [server] tls_cert_file and tls_key_file'
            : 'is not "adhoc" or "files"',
          params: { includesFix: value.includes(",") },
        });
        return z.NEVER;
      }),
      tlsCertFile: filePath("tlsCertFile"),
      tlsKeyFile: filePath("tlsKeyFile"),
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
      migrateOnStart: yesNo,
      issuerChange: yesNo,
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
      // `auto`: one process per core the process may use (respects CPU affinity and cgroup
      // limits, unlike os.cpus().length).
      workers: z.union([z.number(), z.string()]).transform((value, ctx) => {
        if (typeof value === "string" && value.trim().toLowerCase() === "auto") {
          return Math.min(os.availableParallelism(), MAX_WORKERS);
        }
        if (typeof value !== "number" || !Number.isInteger(value)) {
          ctx.addIssue({ code: "custom", message: 'is not "auto" or a whole number' });
          return z.NEVER;
        }
        if (value < 1 || value > MAX_WORKERS) {
          ctx.addIssue({ code: "custom", message: `is not between 1 and ${MAX_WORKERS}` });
          return z.NEVER;
        }
        return value;
      }),
      // No 0 ("never"): a stalled client must never hold a connection for good.
      requestTimeout: seconds(0.1, 3600),
      headersTimeout: seconds(0.1, 600),
      keepAliveTimeout: seconds(0.1, 3600),
      idleTimeout: seconds(0.1, 3600),
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
        const parsed = parseYesNo(value);
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
      accessLog: yesNo,
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
      dbConnectTimeout: seconds(0.1, 120),
      dbStatementTimeout: seconds(0.1, 3600),
      dbPoolSize: integer(1, 1000),
      privateKeyFile: filePath("privateKeyFile", "id_rsa"),
      publicKeyFile: filePath("publicKeyFile", "id_rsa.pub"),
      keyEncryptionKeyFile: filePath("keyEncryptionKeyFile"),
      algorithm: text("an algorithm").transform((value, ctx) => {
        const match = SIGNING_ALGORITHMS.find((name) => name.toLowerCase() === value.toLowerCase());
        if (!match) {
          ctx.addIssue({ code: "custom", message: "is not a supported signing algorithm" });
          return z.NEVER;
        }
        return match;
      }),
      rsaKeyBits: z
        .number({ error: "is not a number" })
        .refine((bits) => (RSA_KEY_BITS_CHOICES as readonly number[]).includes(bits), {
          error: `is not one of ${RSA_KEY_BITS_CHOICES.join(", ")}`,
        }),
      lifetimeSeconds: integer(60, 2592000),
      issuer: text("an issuer"),
      clockLeeway: integer(0, 600),
      acceptTokensWithoutIssuer: yesNo,
      tokenProfile: text("a token profile").transform((value, ctx) => {
        const match = TOKEN_PROFILES.find((name) => name === value.toLowerCase());
        if (!match) {
          ctx.addIssue({ code: "custom", message: "is not tokenleader or standard" });
          return z.NEVER;
        }
        return match;
      }),
      keyRotationLead: integer(0, 604_800),
      keySetRefresh: integer(1, 3_600),
      memoryCost: integer(7168, 4194304),
      timeCost: integer(1, 100),
      parallelism: integer(1, 16),
      auditRetentionDays: integer(0, 36_500),
      passwordMinLength: integer(1, PASSWORD_MAX_LENGTH),
      maxConcurrentHashes: integer(1, 256),
      maxQueuedHashes: integer(0, 100_000),
      hashThreadNice: integer(0, 19),
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
      loginEnabled: yesNo,
      cookieSecure: yesNo,
      csrfProtect: yesNo,
      accessTtl: integer(60, 86_400),
      refreshTtl: integer(300, 31_536_000),
      accessCookiePath: cookiePath,
      refreshCookiePath: cookiePath,
      sameSite: text("a SameSite mode").transform((value, ctx) => {
        const match = SAME_SITE_VALUES.find((mode) => mode.toLowerCase() === value.toLowerCase());
        if (!match) {
          ctx.addIssue({ code: "custom", message: "is not Lax, Strict or None" });
          return z.NEVER;
        }
        return match;
      }),
      // A full URL or //host would make the login page an open redirect.
      redirectAfterLogin: text("a path").refine((value) => /^\/(?![/\\])[^\s]*$/.test(value), {
        error: "is not a local path",
      }),
      userOrder: text("a list").transform((value, ctx) => {
        const sources = value
          .split(",")
          .map((source) => source.trim().toLowerCase())
          .filter((source) => source !== "");
        const valid = sources.every((source) => source === "database" || source === "file");
        if (!valid || new Set(sources).size !== sources.length) {
          ctx.addIssue({ code: "custom", message: "is not a list of database and/or file" });
          return z.NEVER;
        }
        return sources as UserSource[];
      }),
      maxFailuresPerAccount: integer(0, MAX_GUESSING_FAILURES),
      maxFailuresPerSource: integer(0, MAX_GUESSING_FAILURES),
      failureWindow: integer(1, 86_400),
      lockoutDuration: integer(1, 86_400),
      trustedSourceDays: integer(0, 3650),
      localAuthEnabled: yesNo,
      usersFile: filePath("usersFile"),
      upgradeLegacyHashes: yesNo,
      metricsEnabled: yesNo,
      metricsAllow: text("a list of addresses").transform((value, ctx) => {
        const entries = value
          .split(",")
          .map((entry) => entry.trim())
          .filter((entry) => entry !== "");
        if (entries.length === 1 && entries[0]?.toLowerCase() === "any") return "any" as const;
        const bad = entries.filter((entry) => !isProxyAddress(entry));
        if (entries.length === 0 || bad.length > 0) {
          ctx.addIssue({
            code: "custom",
            message: `is not "any" or a list of addresses${bad.length > 0 ? ` (${bad.join(", ")})` : ""}`,
          });
          return z.NEVER;
        }
        return entries;
      }),
      metricsTokenFile: filePath("metricsTokenFile"),
    })
    .partial();
}

/**
 * An IP address, a CIDR range, or one of proxy-addr's names for address ranges (`loopback`,
 * `linklocal`, `uniquelocal`): trust_proxy and the /metrics allow list take the same forms.
 */
function isProxyAddress(entry: string): boolean {
  if (["loopback", "linklocal", "uniquelocal"].includes(entry)) return true;
  const [address, bits, ...rest] = entry.split("/");
  const family = isIP(address ?? "");
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
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

// The `[login]` and `[local_auth]` sections of tokenleader_settings.ini: the WESkit login's
// settings with explicit defaults (the original hard-coded most of them and crashed in "open"
// mode). `parseLoginSettings` is meant to be merged into the main settings loader (config/):
// it takes the parsed INI sections and returns a frozen object or one problem line per bad key.

import path from "node:path";
import { z } from "zod";

export const SAME_SITE_VALUES = ["Lax", "Strict", "None"] as const;
export type SameSite = (typeof SAME_SITE_VALUES)[number];
export type UserSource = "database" | "file";

export interface LoginSettings {
  readonly login: {
    /** false: no login routes at all (the server logs a loud warning at start). */
    readonly enabled: boolean;
    /**
     * `Secure` on every login cookie. Keep true whenever clients reach the server over HTTPS
     * (directly or through a proxy). Only local development over plain http:// needs false —
     * browsers drop Secure cookies on http, so login would seem to do nothing.
     */
    readonly cookieSecure: boolean;
    /** Double-submit CSRF check (X-CSRF-TOKEN) on unsafe methods of cookie-authenticated routes. */
    readonly csrfProtect: boolean;
    /** Seconds. */
    readonly accessTtl: number;
    /** Seconds. */
    readonly refreshTtl: number;
    readonly accessCookiePath: string;
    readonly refreshCookiePath: string;
    readonly sameSite: SameSite;
    /** Local path the form login redirects to (never a full URL: no open redirect). */
    readonly redirectAfterLogin: string;
    /** Where a username is looked up first; a user found in the first source is not looked up again. */
    readonly userOrder: readonly UserSource[];
    /**
     * Failed POST /login attempts allowed per client address per minute; then every attempt from
     * that address is refused (429) until the minute is over. 0: no limit.
     */
    readonly rateLimitPerMinute: number;
  };
  readonly localAuth: {
    /** Defaults to true when `users_file` is set, false otherwise. */
    readonly enabled: boolean;
    /** Absolute path of users.yaml, or null. */
    readonly usersFile: string | null;
    /** Rewrite legacy sha256 entries as argon2id after a successful login (needs a writable file). */
    readonly upgradeLegacyHashes: boolean;
  };
}

export const LOGIN_DEFAULTS = Object.freeze({
  enabled: true,
  cookie_secure: true,
  csrf_protect: true,
  access_ttl: 900,
  refresh_ttl: 2_592_000,
  access_cookie_path: "/",
  refresh_cookie_path: "/refresh",
  same_site: "Lax" as SameSite,
  redirect_after_login: "/user_status",
  user_order: "database,file",
  rate_limit_per_minute: 10,
});

/** Above this a limit protects nothing (argon2 itself is slower); it is surely a typo. */
export const MAX_LOGIN_RATE_LIMIT_PER_MINUTE = 10_000;

/** A value as the INI reader hands it over (already coerced), or a plain string. */
type RawValue = string | number | boolean;
type RawSection =
  | ReadonlyMap<string, { readonly value: RawValue; readonly line?: number } | RawValue>
  | Readonly<Record<string, RawValue | undefined>>;
export type RawIniSections =
  | ReadonlyMap<string, RawSection>
  | Readonly<Record<string, RawSection | undefined>>;

export interface ParseLoginSettingsOptions {
  /** Relative `users_file` paths are resolved against this (the settings file's directory). */
  readonly baseDir?: string;
  /** Used in problem lines, e.g. "etc/tokenleader_settings.ini". */
  readonly fileName?: string;
  /**
   * `[server] public_url`. When it has a path (a reverse proxy serves the server under
   * https://host/auth/), cookie paths may include that prefix (/auth/refresh).
   */
  readonly publicUrl?: string;
}

export type LoginSettingsResult =
  | { ok: true; settings: LoginSettings; warnings: string[] }
  | { ok: false; problems: string[]; warnings: string[] };

const TRUE_WORDS = new Set(["true", "yes", "on", "1", "enabled"]);
const FALSE_WORDS = new Set(["false", "no", "off", "0", "disabled"]);

const booleanValue = z.union([z.boolean(), z.string(), z.number()]).transform((v, ctx) => {
  if (typeof v === "boolean") return v;
  const word = String(v).trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  ctx.addIssue({ code: "custom", message: "must be true or false" });
  return z.NEVER;
});

const seconds = (min: number, max: number, example: number) =>
  z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = typeof v === "number" ? v : Number(v.trim());
    if (!Number.isInteger(n) || n < min || n > max) {
      ctx.addIssue({
        code: "custom",
        message: `must be a whole number of seconds from ${min} to ${max} (e.g. ${example})`,
      });
      return z.NEVER;
    }
    return n;
  });

const attemptsPerMinute = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = typeof v === "number" ? v : Number(v.trim());
  if (
    (typeof v === "string" && v.trim() === "") ||
    !Number.isInteger(n) ||
    n < 0 ||
    n > MAX_LOGIN_RATE_LIMIT_PER_MINUTE
  ) {
    ctx.addIssue({
      code: "custom",
      message: `must be a whole number of attempts from 0 (no limit) to ${MAX_LOGIN_RATE_LIMIT_PER_MINUTE} (e.g. 10)`,
    });
    return z.NEVER;
  }
  return n;
});

const cookiePath = z
  .string()
  .trim()
  .regex(/^\/[^\s;,]*$/, "must be a path starting with / without spaces, ';' or ','");

const loginSchema = z.object({
  enabled: booleanValue.default(LOGIN_DEFAULTS.enabled),
  cookie_secure: booleanValue.default(LOGIN_DEFAULTS.cookie_secure),
  csrf_protect: booleanValue.default(LOGIN_DEFAULTS.csrf_protect),
  access_ttl: seconds(60, 86_400, 900).default(LOGIN_DEFAULTS.access_ttl),
  refresh_ttl: seconds(300, 31_536_000, 2_592_000).default(LOGIN_DEFAULTS.refresh_ttl),
  access_cookie_path: cookiePath.default(LOGIN_DEFAULTS.access_cookie_path),
  refresh_cookie_path: cookiePath.default(LOGIN_DEFAULTS.refresh_cookie_path),
  same_site: z
    .string()
    .trim()
    .transform((v, ctx) => {
      const match = SAME_SITE_VALUES.find((s) => s.toLowerCase() === v.toLowerCase());
      if (match === undefined) {
        ctx.addIssue({ code: "custom", message: "must be Lax, Strict or None" });
        return z.NEVER;
      }
      return match;
    })
    .default(LOGIN_DEFAULTS.same_site),
  redirect_after_login: z
    .string()
    .trim()
    .regex(
      /^\/(?![/\\])[^\s]*$/,
      "must be a local path such as /user_status (not a URL, not //host)",
    )
    .default(LOGIN_DEFAULTS.redirect_after_login),
  user_order: z
    .string()
    .transform((v, ctx) => {
      const parts = v
        .split(",")
        .map((p) => p.trim().toLowerCase())
        .filter((p) => p !== "");
      const valid = parts.length > 0 && parts.every((p) => p === "database" || p === "file");
      if (!valid || new Set(parts).size !== parts.length) {
        ctx.addIssue({
          code: "custom",
          message: "must list database and/or file once each, e.g. database,file",
        });
        return z.NEVER;
      }
      return parts as UserSource[];
    })
    .default(["database", "file"]),
  rate_limit_per_minute: attemptsPerMinute.default(LOGIN_DEFAULTS.rate_limit_per_minute),
});

const localAuthSchema = z.object({
  enabled: booleanValue.optional(),
  users_file: z.string().trim().min(1, "must name a file").optional(),
  upgrade_legacy_hashes: booleanValue.default(true),
});

/** Every key the loader reads, per section (the sample etc/tokenleader_settings.ini lists them all). */
export const LOGIN_SETTING_KEYS: Readonly<Record<"login" | "local_auth", readonly string[]>> =
  Object.freeze({
    login: Object.freeze(Object.keys(loginSchema.shape)),
    local_auth: Object.freeze(Object.keys(localAuthSchema.shape)),
  });

const EXAMPLES: Record<string, string> = {
  enabled: "true",
  cookie_secure: "true",
  csrf_protect: "true",
  access_ttl: "900",
  refresh_ttl: "2592000",
  access_cookie_path: "/",
  refresh_cookie_path: "/refresh",
  same_site: "Lax",
  redirect_after_login: "/user_status",
  user_order: "database,file",
  rate_limit_per_minute: "10",
  users_file: "users.yaml",
  upgrade_legacy_hashes: "true",
};

function sectionEntries(
  sections: RawIniSections,
  name: string,
): Map<string, { value: RawValue; line?: number }> {
  const section =
    sections instanceof Map
      ? sections.get(name)
      : (sections as Record<string, RawSection | undefined>)[name];
  const out = new Map<string, { value: RawValue; line?: number }>();
  if (section === undefined) return out;
  const entries: [string, unknown][] =
    section instanceof Map ? [...section.entries()] : Object.entries(section);
  for (const [key, raw] of entries) {
    if (raw === undefined) continue;
    if (typeof raw === "object" && raw !== null && "value" in raw) {
      const entry = raw as { value: RawValue; line?: number };
      out.set(key.toLowerCase(), {
        value: entry.value,
        ...(entry.line !== undefined ? { line: entry.line } : {}),
      });
    } else {
      out.set(key.toLowerCase(), { value: raw as RawValue });
    }
  }
  return out;
}

export function parseLoginSettings(
  sections: RawIniSections,
  options: ParseLoginSettingsOptions = {},
): LoginSettingsResult {
  const problems: string[] = [];
  const warnings: string[] = [];
  const where = (line?: number) =>
    options.fileName ? `${options.fileName}${line !== undefined ? `:${line}` : ""}: ` : "";

  const parseSection = <S extends z.ZodObject>(name: string, schema: S): z.infer<S> | undefined => {
    const entries = sectionEntries(sections, name);
    const known = new Set(Object.keys(schema.shape));
    const input: Record<string, RawValue> = {};
    for (const [key, entry] of entries) {
      if (known.has(key)) input[key] = entry.value;
      else
        warnings.push(
          `${where(entry.line)}[${name}] ${key}: unknown key, ignored (known: ${[...known].join(", ")})`,
        );
    }
    const parsed = schema.safeParse(input);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "");
      const entry = entries.get(key);
      const message = issue.code === "invalid_type" ? "has the wrong type" : issue.message;
      problems.push(
        `${where(entry?.line)}[${name}] ${key} = ${JSON.stringify(entry?.value ?? "")}: ${message}; fix: e.g. ${key} = ${EXAMPLES[key] ?? "…"}`,
      );
    }
    return undefined;
  };

  const loginLines = new Map(
    [...sectionEntries(sections, "login")].map(([key, entry]) => [key, entry.line]),
  );
  const login = parseSection("login", loginSchema);
  const localAuth = parseSection("local_auth", localAuthSchema);
  if (login === undefined || localAuth === undefined) return { ok: false, problems, warnings };

  if (login.refresh_ttl < login.access_ttl) {
    problems.push(
      `${where()}[login] refresh_ttl (${login.refresh_ttl}) is shorter than access_ttl (${login.access_ttl}); fix: raise refresh_ttl or lower access_ttl`,
    );
  }
  if (login.same_site === "None" && !login.cookie_secure) {
    problems.push(
      `${where()}[login] same_site = None needs cookie_secure = true (browsers reject it otherwise); fix: use same_site = Lax`,
    );
  }
  // Without login there are no /logout, /refresh or status routes for the cookies to reach.
  if (login.enabled) {
    problems.push(
      ...cookiePathProblems(
        login.access_cookie_path,
        login.refresh_cookie_path,
        publicPathPrefix(options.publicUrl),
      ).map((problem) => `${where(loginLines.get(problem.key))}${problem.text}`),
    );
  }
  const usersFileRaw = localAuth.users_file;
  const enabled = localAuth.enabled ?? usersFileRaw !== undefined;
  if (enabled && usersFileRaw === undefined) {
    problems.push(
      `${where()}[local_auth] enabled = true needs users_file; fix: users_file = users.yaml (or enabled = false)`,
    );
  }
  if (
    login.enabled &&
    enabled === false &&
    login.user_order.length === 1 &&
    login.user_order[0] === "file"
  ) {
    problems.push(
      `${where()}[login] user_order = file but [local_auth] is disabled: nobody could log in; fix: user_order = database,file`,
    );
  }
  if (problems.length > 0) return { ok: false, problems, warnings };

  const usersFile =
    usersFileRaw === undefined
      ? null
      : path.resolve(options.baseDir ?? process.cwd(), usersFileRaw);
  const settings: LoginSettings = {
    login: Object.freeze({
      enabled: login.enabled,
      cookieSecure: login.cookie_secure,
      csrfProtect: login.csrf_protect,
      accessTtl: login.access_ttl,
      refreshTtl: login.refresh_ttl,
      accessCookiePath: login.access_cookie_path,
      refreshCookiePath: login.refresh_cookie_path,
      sameSite: login.same_site,
      redirectAfterLogin: login.redirect_after_login,
      userOrder: Object.freeze([...login.user_order]),
      rateLimitPerMinute: login.rate_limit_per_minute,
    }),
    localAuth: Object.freeze({
      enabled,
      usersFile,
      upgradeLegacyHashes: localAuth.upgrade_legacy_hashes,
    }),
  };
  if (!login.enabled) {
    warnings.push(
      `${where()}[login] enabled = false: no login routes; browser and cookie login are OFF`,
    );
  }
  if (login.enabled && login.rate_limit_per_minute === 0) {
    warnings.push(
      `${where()}[login] rate_limit_per_minute = 0: failed logins are not limited (password guessing is only slowed by argon2)`,
    );
  }
  if (!login.cookie_secure) {
    warnings.push(
      `${where()}[login] cookie_secure = false: login cookies travel over plain http; use only for local development`,
    );
  }
  return { ok: true, settings: Object.freeze(settings), warnings };
}

/**
 * True when a browser sends a cookie with Path `cookiePath` to `requestPath` (RFC 6265 5.1.4):
 * the same path, or a prefix ending in "/" or followed by "/".
 */
export function cookiePathCovers(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

/** The path of `[server] public_url` without trailing slashes ("" for none or a bad URL). */
function publicPathPrefix(publicUrl: string | undefined): string {
  if (publicUrl === undefined) return "";
  try {
    return new URL(publicUrl).pathname.replace(/\/+$/, "");
  } catch {
    return "";
  }
}

type CookiePathKey = "access_cookie_path" | "refresh_cookie_path";

/**
 * Cookie paths the login routes cannot work with: the browser would not send the token cookies
 * where they are needed. /logout must see at least one token cookie (else it could not end the
 * server-side session: old tokens would keep working after "logout"), /refresh the refresh
 * cookie, and one of the status pages the access cookie. Paths are the browser's: with a
 * `public_url` path (a proxy prefix) both the plain and the prefixed routes are accepted, but
 * all three checks must agree on one of them.
 */
function cookiePathProblems(
  accessPath: string,
  refreshPath: string,
  prefix: string,
): { key: CookiePathKey; text: string }[] {
  const check = (base: string) => {
    const route = (p: string) => `${base}${p}`;
    const found: { key: CookiePathKey; text: string }[] = [];
    const under = base === "" ? "" : ` (the server is under ${base}, from [server] public_url)`;
    if (
      !cookiePathCovers(accessPath, route("/logout")) &&
      !cookiePathCovers(refreshPath, route("/logout"))
    ) {
      found.push({
        key: "access_cookie_path",
        text: `[login] access_cookie_path = ${JSON.stringify(accessPath)} and refresh_cookie_path = ${JSON.stringify(refreshPath)}: browsers send neither token cookie to ${route("/logout")}${under}, so logout could not end the server-side session and the old tokens would keep working; fix: access_cookie_path = ${base}/ (or a refresh_cookie_path that covers ${route("/logout")}, e.g. ${base}/)`,
      });
    }
    if (!cookiePathCovers(refreshPath, route("/refresh"))) {
      found.push({
        key: "refresh_cookie_path",
        text: `[login] refresh_cookie_path = ${JSON.stringify(refreshPath)}: browsers would not send the refresh cookie to ${route("/refresh")}${under}, so sessions could not be refreshed; fix: refresh_cookie_path = ${route("/refresh")}`,
      });
    }
    if (
      !cookiePathCovers(accessPath, route("/user_status")) &&
      !cookiePathCovers(accessPath, route("/ga4gh/wes/user_status"))
    ) {
      found.push({
        key: "access_cookie_path",
        text: `[login] access_cookie_path = ${JSON.stringify(accessPath)}: browsers would send the access cookie to neither ${route("/user_status")} nor ${route("/ga4gh/wes/user_status")}${under}, so the status page would never see a login; fix: access_cookie_path = ${base}/`,
      });
    }
    return found;
  };
  const plain = check("");
  if (plain.length === 0 || prefix === "") return plain;
  const prefixed = check(prefix);
  return prefixed.length <= plain.length ? prefixed : plain;
}

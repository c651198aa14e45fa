// `[login]` and `[local_auth]`: their defaults and the rules that span several keys (each value on
// its own is checked by setting-schemas.ts). The original hard-coded most of these and crashed
// in "open" mode; here every one has an explicit default.

import { cookiePathProblems, publicPathPrefix } from "./cookie-paths.js";
import type { SettingId } from "./setting-definitions.js";
import type { ValueSource } from "./setting-schemas.js";
import type { LocalAuthSettings, LoginSettings, SameSite, UserSource } from "./settings-types.js";

export const LOGIN_DEFAULTS: LoginSettings = Object.freeze({
  enabled: true,
  cookieSecure: true,
  csrfProtect: true,
  accessTtl: 900,
  refreshTtl: 2_592_000,
  accessCookiePath: "/",
  refreshCookiePath: "/refresh",
  sameSite: "Lax" as SameSite,
  redirectAfterLogin: "/user_status",
  userOrder: Object.freeze(["database", "file"] as UserSource[]),
  guessing: Object.freeze({
    maxFailuresPerAccount: 5,
    maxFailuresPerSource: 10,
    windowSeconds: 60,
    lockoutSeconds: 300,
    trustedSourceDays: 30,
  }),
});

/** The login values as the schema gives them: each one present only when set. */
export interface LoginValues {
  loginEnabled?: boolean;
  cookieSecure?: boolean;
  csrfProtect?: boolean;
  accessTtl?: number;
  refreshTtl?: number;
  accessCookiePath?: string;
  refreshCookiePath?: string;
  sameSite?: SameSite;
  redirectAfterLogin?: string;
  userOrder?: UserSource[];
  maxFailuresPerAccount?: number;
  maxFailuresPerSource?: number;
  failureWindow?: number;
  lockoutDuration?: number;
  trustedSourceDays?: number;
  localAuthEnabled?: boolean;
  usersFile?: string;
  upgradeLegacyHashes?: boolean;
}

export interface ResolvedLoginSettings {
  login: LoginSettings;
  localAuth: LocalAuthSettings;
  /** Contradictions between keys: one line each, naming the keys and the fix. */
  problems: string[];
  /** Allowed but risky choices, for the start-up log. */
  warnings: string[];
}

export function resolveLoginSettings(
  values: LoginValues,
  sources: Partial<Record<SettingId, ValueSource>>,
  options: { configFile: string | null; publicUrl: string | undefined },
): ResolvedLoginSettings {
  // "file:line: " of the key when it was set, else "file: " (the default is in play).
  const where = (id?: SettingId) => {
    const at = (id && sources[id]?.where) ?? options.configFile;
    return at ? `${at}: ` : "";
  };
  const login: LoginSettings = {
    enabled: values.loginEnabled ?? LOGIN_DEFAULTS.enabled,
    cookieSecure: values.cookieSecure ?? LOGIN_DEFAULTS.cookieSecure,
    csrfProtect: values.csrfProtect ?? LOGIN_DEFAULTS.csrfProtect,
    accessTtl: values.accessTtl ?? LOGIN_DEFAULTS.accessTtl,
    refreshTtl: values.refreshTtl ?? LOGIN_DEFAULTS.refreshTtl,
    accessCookiePath: values.accessCookiePath ?? LOGIN_DEFAULTS.accessCookiePath,
    refreshCookiePath: values.refreshCookiePath ?? LOGIN_DEFAULTS.refreshCookiePath,
    sameSite: values.sameSite ?? LOGIN_DEFAULTS.sameSite,
    redirectAfterLogin: values.redirectAfterLogin ?? LOGIN_DEFAULTS.redirectAfterLogin,
    userOrder: values.userOrder ?? LOGIN_DEFAULTS.userOrder,
    guessing: {
      maxFailuresPerAccount:
        values.maxFailuresPerAccount ?? LOGIN_DEFAULTS.guessing.maxFailuresPerAccount,
      maxFailuresPerSource:
        values.maxFailuresPerSource ?? LOGIN_DEFAULTS.guessing.maxFailuresPerSource,
      windowSeconds: values.failureWindow ?? LOGIN_DEFAULTS.guessing.windowSeconds,
      lockoutSeconds: values.lockoutDuration ?? LOGIN_DEFAULTS.guessing.lockoutSeconds,
      trustedSourceDays: values.trustedSourceDays ?? LOGIN_DEFAULTS.guessing.trustedSourceDays,
    },
  };
  const localAuth: LocalAuthSettings = {
    enabled: values.localAuthEnabled ?? values.usersFile !== undefined,
    usersFile: values.usersFile ?? null,
    upgradeLegacyHashes: values.upgradeLegacyHashes ?? true,
  };

  const problems: string[] = [];
  if (login.refreshTtl < login.accessTtl) {
    problems.push(
      `${where("refreshTtl")}[login] refresh_ttl (${login.refreshTtl}) is shorter than access_ttl (${login.accessTtl}); fix: raise refresh_ttl or lower access_ttl`,
    );
  }
  if (login.sameSite === "None" && !login.cookieSecure) {
    problems.push(
      `${where("sameSite")}[login] same_site = None needs cookie_secure = true (browsers reject it otherwise); fix: use same_site = Lax`,
    );
  }
  // Without login there are no /logout, /refresh or status routes for the cookies to reach.
  if (login.enabled) {
    const keyIds = {
      access_cookie_path: "accessCookiePath",
      refresh_cookie_path: "refreshCookiePath",
    };
    for (const problem of cookiePathProblems(
      login.accessCookiePath,
      login.refreshCookiePath,
      publicPathPrefix(options.publicUrl),
    )) {
      problems.push(`${where(keyIds[problem.key] as SettingId)}${problem.text}`);
    }
  }
  if (localAuth.enabled && localAuth.usersFile === null) {
    problems.push(
      `${where("localAuthEnabled")}[local_auth] enabled = true needs users_file; fix: users_file = users.yaml (or enabled = false)`,
    );
  }
  if (
    login.enabled &&
    !localAuth.enabled &&
    login.userOrder.length === 1 &&
    login.userOrder[0] === "file"
  ) {
    problems.push(
      `${where("userOrder")}[login] user_order = file but [local_auth] is disabled: nobody could log in; fix: user_order = database,file`,
    );
  }

  const warnings: string[] = [];
  if (!login.enabled) {
    warnings.push(
      `${where("loginEnabled")}[login] enabled = false: no login routes; browser and cookie login are OFF`,
    );
  }
  const { guessing } = login;
  if (guessing.maxFailuresPerAccount === 0) {
    warnings.push(
      `${where("maxFailuresPerAccount")}[login] max_failures_per_account = 0: guesses spread over many addresses are not limited per account`,
    );
  }
  if (guessing.maxFailuresPerSource === 0) {
    warnings.push(
      `${where("maxFailuresPerSource")}[login] max_failures_per_source = 0: failed password checks are not limited per client address (one address may guess many accounts)`,
    );
  } else if (guessing.maxFailuresPerSource < guessing.maxFailuresPerAccount) {
    warnings.push(
      `${where("maxFailuresPerSource")}[login] max_failures_per_source (${guessing.maxFailuresPerSource}) is below max_failures_per_account (${guessing.maxFailuresPerAccount}): one address can lock out everyone behind it sooner than one account locks; raise max_failures_per_source`,
    );
  }
  if (!login.cookieSecure) {
    warnings.push(
      `${where("cookieSecure")}[login] cookie_secure = false: login cookies travel over plain http; use only for local development`,
    );
  }
  return { login, localAuth, problems, warnings };
}

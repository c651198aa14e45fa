import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cookiePathCovers } from "./cookie-paths.js";
import { loadSettings } from "./load-settings.js";
import { SettingsError } from "./settings-types.js";

// The [login] and [local_auth] sections: read by loadSettings like every other section, their
// problems and warnings merged into the loader's.

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tl-settings-login-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let counter = 0;

function load(text: string) {
  const dir = path.join(scratch, `case-${counter++}`);
  fs.mkdirSync(dir);
  const configPath = path.join(dir, "tokenleader_settings.ini");
  fs.writeFileSync(configPath, text);
  return { dir, load: () => loadSettings({ configPath, env: {}, cwd: dir }) };
}

function problemsOf(text: string): string[] {
  try {
    load(text).load();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as SettingsError).problems;
  }
  throw new Error("expected a SettingsError");
}

/** The problem lines without the settings file's path (each starts with it). */
function problemsIn(text: string): string[] {
  return problemsOf(text).map((line) =>
    line.replace(/^.*tokenleader_settings\.ini/, "settings.ini"),
  );
}

describe("loadSettings: [login] and [local_auth]", () => {
  it("gives the documented defaults when the sections are absent", () => {
    const settings = load("[flask_default]\n\thost_port = 5001\n").load();
    expect(settings.login).toEqual({
      enabled: true,
      cookieSecure: true,
      csrfProtect: true,
      accessTtl: 900,
      refreshTtl: 2_592_000,
      accessCookiePath: "/",
      refreshCookiePath: "/refresh",
      sameSite: "Lax",
      redirectAfterLogin: "/user_status",
      userOrder: ["database", "file"],
      guessing: {
        maxFailuresPerAccount: 5,
        maxFailuresPerSource: 10,
        windowSeconds: 60,
        lockoutSeconds: 300,
        trustedSourceDays: 30,
      },
    });
    expect(settings.localAuth).toEqual({
      enabled: false,
      usersFile: null,
      upgradeLegacyHashes: true,
    });
    expect(Object.isFrozen(settings.login)).toBe(true);
  });

  it("reads the values and resolves users_file against the settings file's folder", () => {
    const { dir, load: run } = load(
      [
        // Served by a proxy under /auth/: the cookie paths carry that prefix.
        "[server]",
        "\tpublic_url = https://auth.example.org/auth/",
        "[login]",
        "\tenabled = true",
        "\tcookie_secure = false",
        "\taccess_ttl = 600",
        "\trefresh_cookie_path = /auth/refresh",
        "\tuser_order = file,database",
        "[local_auth]",
        "\tusers_file = users.yaml",
      ].join("\n"),
    );
    const settings = run();
    expect(settings.login.cookieSecure).toBe(false);
    expect(settings.login.accessTtl).toBe(600);
    expect(settings.login.refreshCookiePath).toBe("/auth/refresh");
    expect(settings.login.userOrder).toEqual(["file", "database"]);
    expect(settings.localAuth).toMatchObject({
      enabled: true,
      usersFile: path.join(dir, "users.yaml"),
    });
    expect(settings.warnings.some((line) => line.includes("cookie_secure = false"))).toBe(true);
  });

  it("warns loudly about enabled = false without failing", () => {
    const settings = load("[login]\n\tenabled = false\n").load();
    expect(settings.login.enabled).toBe(false);
    expect(settings.warnings.some((line) => line.includes("no login routes"))).toBe(true);
  });

  it("reports bad login values together with the other problems, naming file and line", () => {
    const { load: run } = load(
      ["[flask_default]", "\thost_port = 99999", "[login]", "\taccess_ttl = soon"].join("\n"),
    );
    let problems: string[] = [];
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      problems = (error as SettingsError).problems;
    }
    expect(problems.some((line) => line.includes("host_port"))).toBe(true);
    expect(problems).toContainEqual(
      expect.stringMatching(
        /tokenleader_settings\.ini:4 \[login\] access_ttl: "soon" is not a number; set a whole number of seconds from 60 to 86400, e.g. 900$/,
      ),
    );
  });

  it("refuses cookie paths with which /logout could not end the session, naming file, line and fix", () => {
    const { load: run } = load(
      ["[login]", "\taccess_cookie_path = /ga4gh/wes/", "\trefresh_cookie_path = /refresh"].join(
        "\n",
      ),
    );
    let problems: string[] = [];
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(SettingsError);
      problems = (error as SettingsError).problems;
    }
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /tokenleader_settings\.ini:2: \[login\] access_cookie_path = "\/ga4gh\/wes\/" and refresh_cookie_path = "\/refresh": browsers send neither token cookie to \/logout.*; fix: access_cookie_path = \//,
    );
  });

  it("checks cookie paths against the public_url prefix from the environment too", () => {
    const text = "[login]\n\taccess_cookie_path = /auth/\n\trefresh_cookie_path = /auth/refresh\n";
    const { dir } = load(text);
    const configPath = path.join(dir, "tokenleader_settings.ini");
    const withPrefix = loadSettings({
      configPath,
      env: { TOKENLEADER_PUBLIC_URL: "https://auth.example.org/auth" },
      cwd: dir,
    });
    expect(withPrefix.login.accessCookiePath).toBe("/auth/");
    expect(() => loadSettings({ configPath, env: {}, cwd: dir })).toThrow(SettingsError);
  });

  it("reads yes/no words, SameSite in any case and the user order", () => {
    const settings = load(
      "[login]\n\tcookie_secure = no\n\tsame_site = strict\n\tuser_order = file, database\n",
    ).load();
    expect(settings.login.cookieSecure).toBe(false);
    expect(settings.login.sameSite).toBe("Strict");
    expect(settings.login.userOrder).toEqual(["file", "database"]);
  });

  it("names file, line, key and fix for each bad value", () => {
    expect(
      problemsIn(
        [
          "[login]",
          "\taccess_ttl = soon",
          "\tredirect_after_login = https://evil.example",
          "\tsame_site = sometimes",
          "[local_auth]",
          "\tenabled = maybe",
        ].join("\n"),
      ),
    ).toEqual([
      'settings.ini:2 [login] access_ttl: "soon" is not a number; set a whole number of seconds from 60 to 86400, e.g. 900',
      'settings.ini:4 [login] same_site: "sometimes" is not Lax, Strict or None; set Lax, Strict or None',
      'settings.ini:3 [login] redirect_after_login: "https://evil.example" is not a local path; set a local path such as /user_status (not a URL, not //host)',
      'settings.ini:6 [local_auth] enabled: "maybe" is not true or false; set true or false (default: true when users_file is set)',
    ]);
  });

  it("refuses contradictions: enabled local auth without a file, SameSite=None without Secure, refresh before access", () => {
    expect(problemsIn("[local_auth]\n\tenabled = true\n")).toEqual([
      "settings.ini:2: [local_auth] enabled = true needs users_file; fix: users_file = users.yaml (or enabled = false)",
    ]);
    expect(problemsIn("[login]\n\tsame_site = None\n\tcookie_secure = false\n")).toEqual([
      "settings.ini:2: [login] same_site = None needs cookie_secure = true (browsers reject it otherwise); fix: use same_site = Lax",
    ]);
    expect(problemsIn("[login]\n\taccess_ttl = 3600\n\trefresh_ttl = 600\n")).toEqual([
      "settings.ini:3: [login] refresh_ttl (600) is shorter than access_ttl (3600); fix: raise refresh_ttl or lower access_ttl",
    ]);
    expect(problemsIn("[login]\n\tuser_order = file\n")).toEqual([
      "settings.ini:2: [login] user_order = file but [local_auth] is disabled: nobody could log in; fix: user_order = database,file",
    ]);
  });

  it("reads the guessing policy's thresholds; 0 switches a bound off (with a warning); bad values named", () => {
    const set = load(
      "[login]\n\tmax_failures_per_account = 3\n\tmax_failures_per_source = 20\n\tfailure_window = 120\n\tlockout_duration = 600\n\ttrusted_source_days = 7\n",
    ).load();
    expect(set.login.guessing).toEqual({
      maxFailuresPerAccount: 3,
      maxFailuresPerSource: 20,
      windowSeconds: 120,
      lockoutSeconds: 600,
      trustedSourceDays: 7,
    });
    expect(set.warnings).toEqual([]);
    // The name of the per-source limit before it covered every password check is still read.
    const old = load("[login]\n\trate_limit_per_minute = 15\n").load();
    expect(old.login.guessing.maxFailuresPerSource).toBe(15);

    const off = load(
      "[login]\n\tmax_failures_per_account = 0\n\tmax_failures_per_source = 0\n",
    ).load();
    expect(off.login.guessing.maxFailuresPerAccount).toBe(0);
    expect(off.warnings.join("\n")).toContain(
      "[login] max_failures_per_account = 0: guesses spread",
    );
    expect(off.warnings.join("\n")).toContain(
      "[login] max_failures_per_source = 0: failed password checks are not limited",
    );
    const inverted = load(
      "[login]\n\tmax_failures_per_account = 8\n\tmax_failures_per_source = 4\n",
    ).load();
    expect(inverted.warnings.join("\n")).toContain(
      "max_failures_per_source (4) is below max_failures_per_account (8)",
    );
    for (const [bad, problem] of [
      ["-1", "-1 is below 0"],
      ["2.5", "2.5 is not a whole number"],
      ["lots", '"lots" is not a number'],
      ["10001", "10001 is above 10000"],
    ]) {
      expect(problemsIn(`[login]\n\tmax_failures_per_source = ${bad}\n`)).toEqual([
        `settings.ini:2 [login] max_failures_per_source: ${problem}; set a whole number of failures from 0 (no limit) to 10000, e.g. 10`,
      ]);
    }
    expect(problemsIn("[login]\n\tfailure_window = 0\n")).toEqual([
      "settings.ini:2 [login] failure_window: 0 is below 1; set a whole number of seconds from 1 to 86400, e.g. 60",
    ]);
    expect(problemsIn("[login]\n\ttrusted_source_days = 4000\n")).toEqual([
      "settings.ini:2 [login] trusted_source_days: 4000 is above 3650; set a whole number of days from 0 (remember none) to 3650, e.g. 30",
    ]);
  });

  describe("cookie paths the login routes can work with", () => {
    const paths = (access: string, refresh: string) =>
      `[login]\n\taccess_cookie_path = ${access}\n\trefresh_cookie_path = ${refresh}\n`;

    it("refuses a refresh path that does not cover /refresh", () => {
      for (const refresh of ["/auth/refresh", "/refresh/", "/refreshing", "/ref"]) {
        expect(problemsIn(paths("/", refresh))).toEqual([
          `settings.ini:3: [login] refresh_cookie_path = ${JSON.stringify(refresh)}: browsers would not send the refresh cookie to /refresh, so sessions could not be refreshed; fix: refresh_cookie_path = /refresh`,
        ]);
      }
    });

    it("refuses an access path that covers neither status page", () => {
      expect(problemsIn(paths("/api/", "/"))).toEqual([
        'settings.ini:2: [login] access_cookie_path = "/api/": browsers would send the access cookie to neither /user_status nor /ga4gh/wes/user_status, so the status page would never see a login; fix: access_cookie_path = /',
      ]);
      // Both problems at once when /logout is missed too.
      expect(problemsIn(paths("/api/", "/refresh"))).toHaveLength(2);
    });

    it("accepts paths where logout reaches a token cookie, refresh and a status page work", () => {
      for (const [access, refresh] of [
        ["/", "/refresh"],
        ["/", "/"],
        ["/ga4gh/wes/", "/"],
        ["/ga4gh/wes", "/"],
        ["/user_status", "/"],
      ] as const) {
        expect(load(paths(access, refresh)).load().login.accessCookiePath).toBe(access);
      }
    });

    it("refuses a path with a space, ';' or ','", () => {
      expect(problemsIn("[login]\n\taccess_cookie_path = /a;b\n")).toEqual([
        `settings.ini:2 [login] access_cookie_path: "/a;b" is not a path starting with / without spaces, ';' or ','; set a path starting with / without spaces, ';' or ',', e.g. /`,
      ]);
    });

    it("are not checked with [login] enabled = false (no login routes): the server starts", () => {
      const settings = load(
        `[login]\n\tenabled = false\n\taccess_cookie_path = /ga4gh/wes/\n\trefresh_cookie_path = /auth/refresh\n`,
      ).load();
      expect(settings.login.enabled).toBe(false);
      expect(settings.warnings.join("\n")).toContain("[login] enabled = false");
    });

    it("accepts the routes under the path of [server] public_url (a proxy prefix)", () => {
      const withPrefix = (access: string, refresh: string) =>
        `[server]\n\tpublic_url = https://host.example/auth/\n${paths(access, refresh)}`;
      expect(load(withPrefix("/auth/", "/auth/refresh")).load().login.accessCookiePath).toBe(
        "/auth/",
      );
      // Cookie paths without the prefix (a proxy that rewrites them) stay accepted.
      expect(load(withPrefix("/", "/refresh")).load().login.accessCookiePath).toBe("/");
      // All three checks must agree on one base: /auth/refresh with /ga4gh/wes/ is no setup.
      expect(problemsIn(withPrefix("/ga4gh/wes/", "/auth/refresh")).join("\n")).toContain(
        "(the server is under /auth, from [server] public_url)",
      );
    });

    it("matches paths as browsers do (RFC 6265)", () => {
      expect(cookiePathCovers("/", "/logout")).toBe(true);
      expect(cookiePathCovers("/refresh", "/refresh")).toBe(true);
      expect(cookiePathCovers("/ga4gh/wes", "/ga4gh/wes/user_status")).toBe(true);
      expect(cookiePathCovers("/ga4gh/wes/", "/ga4gh/wes/user_status")).toBe(true);
      expect(cookiePathCovers("/ref", "/refresh")).toBe(false);
      expect(cookiePathCovers("/refresh/", "/refresh")).toBe(false);
      expect(cookiePathCovers("/ga4gh/wes/", "/logout")).toBe(false);
    });
  });

  it("the sample etc/tokenleader_settings.ini lists every key of every section", () => {
    const samplePath = path.resolve(
      import.meta.dirname,
      "../../../../etc/tokenleader_settings.ini",
    );
    const sample = fs.readFileSync(samplePath, "utf8");
    const listed: Record<string, string[]> = {};
    let section = "";
    for (const line of sample.split("\n")) {
      const header = /^\[([^\]]+)\]/.exec(line.trim());
      if (header) section = header[1]!;
      // A key, set or commented out with its default: "\tkey = value" or "\t#key = value".
      const entry = /^\s+#?([a-z_]+) = /.exec(line);
      if (entry) listed[section] = [...(listed[section] ?? []), entry[1]!];
    }
    // Written out: a key added to the loader must be documented in the sample.
    expect(listed).toEqual({
      flask_default: ["host_name", "host_port", "ssl", "ssl_settings"],
      token: [
        "private_key_file_location",
        "public_key_file_location",
        "key_encryption_key_file",
        "algorithm",
        "rsa_key_bits",
        "lifetime_seconds",
        "issuer",
        "clock_leeway_seconds",
        "accept_tokens_without_issuer",
        "profile",
        "key_rotation_lead_seconds",
        "key_set_refresh_seconds",
      ],
      db: ["url", "connect_timeout", "statement_timeout", "pool_size"],
      server: [
        "data_dir",
        "public_url",
        "migrate_on_start",
        "issuer_change",
        "body_limit",
        "shutdown_timeout",
        "workers",
        "request_timeout",
        "headers_timeout",
        "keep_alive_timeout",
        "idle_timeout",
        "trust_proxy",
        "log_level",
        "access_log",
        "tls_cert_file",
        "tls_key_file",
      ],
      metrics: ["enabled", "allow", "token_file"],
      passwords: [
        "memory_cost",
        "time_cost",
        "parallelism",
        "min_length",
        "max_concurrent_hashes",
        "max_queued_hashes",
        "hash_thread_nice",
      ],
      audit: ["retention_days"],
      enforcer: ["role_to_acl_map_file", "super_roles"],
      login: [
        "enabled",
        "cookie_secure",
        "csrf_protect",
        "access_ttl",
        "refresh_ttl",
        "access_cookie_path",
        "refresh_cookie_path",
        "same_site",
        "redirect_after_login",
        "user_order",
        "max_failures_per_account",
        "max_failures_per_source",
        "rate_limit_per_minute",
        "failure_window",
        "lockout_duration",
        "trusted_source_days",
      ],
      local_auth: ["users_file", "enabled", "upgrade_legacy_hashes"],
    });
    // And the sample loads: no key in it is unknown.
    expect(() => loadSettings({ configPath: samplePath, env: {}, cwd: scratch })).not.toThrow();
  });
});

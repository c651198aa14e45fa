import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cookiePathCovers, LOGIN_SETTING_KEYS, parseLoginSettings } from "./settings.js";

describe("parseLoginSettings", () => {
  it("gives the documented defaults for missing sections", () => {
    const result = parseLoginSettings({});
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    expect(result.settings).toEqual({
      login: {
        enabled: true,
        cookieSecure: true,
        csrfProtect: true,
        accessTtl: 900,
        refreshTtl: 2592000,
        accessCookiePath: "/",
        refreshCookiePath: "/refresh",
        sameSite: "Lax",
        redirectAfterLogin: "/user_status",
        userOrder: ["database", "file"],
        rateLimitPerMinute: 10,
      },
      localAuth: { enabled: false, usersFile: null, upgradeLegacyHashes: true },
    });
    expect(Object.isFrozen(result.settings.login)).toBe(true);
  });

  it("reads INI-style entries (Map with lines), coerces words, resolves users_file", () => {
    const sections = new Map([
      [
        "login",
        new Map([
          ["cookie_secure", { value: "no", line: 3 }],
          ["same_site", { value: "strict", line: 4 }],
          ["user_order", { value: "file, database", line: 5 }],
        ]),
      ],
      ["local_auth", new Map([["users_file", { value: "users.yaml", line: 8 }]])],
    ]);
    const result = parseLoginSettings(sections, {
      baseDir: "/etc/tokenleader",
      fileName: "settings.ini",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.settings.login.cookieSecure).toBe(false);
    expect(result.settings.login.sameSite).toBe("Strict");
    expect(result.settings.login.userOrder).toEqual(["file", "database"]);
    expect(result.settings.localAuth).toEqual({
      enabled: true,
      usersFile: "/etc/tokenleader/users.yaml",
      upgradeLegacyHashes: true,
    });
    expect(result.warnings.join("\n")).toContain("cookie_secure = false");
  });

  it("names section, key, line and fix for each bad value", () => {
    const sections = new Map([
      [
        "login",
        new Map([
          ["access_ttl", { value: "soon", line: 2 }],
          ["redirect_after_login", { value: "https://evil.example", line: 3 }],
          ["same_site", { value: "sometimes", line: 4 }],
          ["colour", { value: "blue", line: 5 }],
        ]),
      ],
      ["local_auth", new Map([["enabled", { value: "maybe", line: 7 }]])],
    ]);
    const result = parseLoginSettings(sections, { fileName: "settings.ini" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toContain(
      'settings.ini:2: [login] access_ttl = "soon": must be a whole number of seconds from 60 to 86400 (e.g. 900); fix: e.g. access_ttl = 900',
    );
    expect(
      result.problems.some((p) => p.startsWith("settings.ini:3: [login] redirect_after_login")),
    ).toBe(true);
    expect(
      result.problems.some(
        (p) =>
          p.startsWith("settings.ini:4: [login] same_site") && p.includes("Lax, Strict or None"),
      ),
    ).toBe(true);
    expect(
      result.problems.some(
        (p) => p.startsWith("settings.ini:7: [local_auth] enabled") && p.includes("true or false"),
      ),
    ).toBe(true);
    expect(result.warnings.some((w) => w.includes("[login] colour: unknown key"))).toBe(true);
  });

  it("rejects contradictions: enabled local auth without a file, SameSite=None without Secure", () => {
    const r1 = parseLoginSettings({ local_auth: { enabled: true } });
    expect(r1.ok === false && r1.problems[0]).toContain(
      "[local_auth] enabled = true needs users_file",
    );
    const r2 = parseLoginSettings({ login: { same_site: "None", cookie_secure: false } });
    expect(r2.ok === false && r2.problems[0]).toContain(
      "same_site = None needs cookie_secure = true",
    );
    const r3 = parseLoginSettings({ login: { access_ttl: 3600, refresh_ttl: 600 } });
    expect(r3.ok === false && r3.problems[0]).toContain(
      "refresh_ttl (600) is shorter than access_ttl (3600)",
    );
  });

  it("accepts login disabled, with a loud warning", () => {
    const result = parseLoginSettings({ login: { enabled: false } });
    expect(result.ok && result.settings.login.enabled).toBe(false);
    expect(result.warnings.join("\n")).toContain("[login] enabled = false");
  });

  it("reads rate_limit_per_minute: a whole number, 0 disables (with a warning), bad values named", () => {
    const five = parseLoginSettings({ login: { rate_limit_per_minute: "5" } });
    expect(five.ok && five.settings.login.rateLimitPerMinute).toBe(5);
    expect(five.warnings).toEqual([]);
    const off = parseLoginSettings({ login: { rate_limit_per_minute: 0 } });
    expect(off.ok && off.settings.login.rateLimitPerMinute).toBe(0);
    expect(off.warnings.join("\n")).toContain(
      "[login] rate_limit_per_minute = 0: failed logins are not limited",
    );
    for (const bad of ["-1", "2.5", "lots", "", "10001"]) {
      const result = parseLoginSettings(
        new Map([["login", new Map([["rate_limit_per_minute", { value: bad, line: 9 }]])]]),
        { fileName: "settings.ini" },
      );
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.problems).toEqual([
        `settings.ini:9: [login] rate_limit_per_minute = ${JSON.stringify(bad)}: must be a whole number of attempts from 0 (no limit) to 10000 (e.g. 10); fix: e.g. rate_limit_per_minute = 10`,
      ]);
    }
  });

  describe("cookie paths the login routes can work with", () => {
    const paths = (access: string, refresh: string, options = {}) =>
      parseLoginSettings(
        new Map([
          [
            "login",
            new Map([
              ["access_cookie_path", { value: access, line: 4 }],
              ["refresh_cookie_path", { value: refresh, line: 5 }],
            ]),
          ],
        ]),
        { fileName: "settings.ini", ...options },
      );

    it("refuses the original's paths: /logout would see neither token cookie", () => {
      const result = paths("/ga4gh/wes/", "/refresh");
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems).toEqual([
        'settings.ini:4: [login] access_cookie_path = "/ga4gh/wes/" and refresh_cookie_path = "/refresh": browsers send neither token cookie to /logout, so logout could not end the server-side session and the old tokens would keep working; fix: access_cookie_path = / (or a refresh_cookie_path that covers /logout, e.g. /)',
      ]);
    });

    it("refuses a refresh path that does not cover /refresh", () => {
      for (const refresh of ["/auth/refresh", "/refresh/", "/refreshing", "/ref"]) {
        const result = paths("/", refresh);
        expect(result.ok).toBe(false);
        if (result.ok) continue;
        expect(result.problems).toEqual([
          `settings.ini:5: [login] refresh_cookie_path = ${JSON.stringify(refresh)}: browsers would not send the refresh cookie to /refresh, so sessions could not be refreshed; fix: refresh_cookie_path = /refresh`,
        ]);
      }
    });

    it("refuses an access path that covers neither status page", () => {
      const result = paths("/api/", "/");
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.problems).toEqual([
        'settings.ini:4: [login] access_cookie_path = "/api/": browsers would send the access cookie to neither /user_status nor /ga4gh/wes/user_status, so the status page would never see a login; fix: access_cookie_path = /',
      ]);
      // Both problems at once when /logout is missed too.
      const both = paths("/api/", "/refresh");
      expect(both.ok === false && both.problems.length).toBe(2);
    });

    it("accepts paths where logout reaches a token cookie, refresh and a status page work", () => {
      for (const [access, refresh] of [
        ["/", "/refresh"],
        ["/", "/"],
        ["/ga4gh/wes/", "/"],
        ["/ga4gh/wes", "/"],
        ["/user_status", "/"],
      ] as const) {
        const result = paths(access, refresh);
        expect(result.ok ? [] : result.problems).toEqual([]);
      }
    });

    it("are not checked with [login] enabled = false (no login routes): the server starts", () => {
      const result = parseLoginSettings(
        new Map([
          [
            "login",
            new Map([
              ["enabled", { value: "false", line: 3 }],
              ["access_cookie_path", { value: "/ga4gh/wes/", line: 4 }],
              ["refresh_cookie_path", { value: "/auth/refresh", line: 5 }],
            ]),
          ],
        ]),
        { fileName: "settings.ini" },
      );
      expect(result.ok ? [] : result.problems).toEqual([]);
      expect(result.ok && result.settings.login.enabled).toBe(false);
      expect(result.warnings.join("\n")).toContain("[login] enabled = false");
    });

    it("accepts the routes under the path of [server] public_url (a proxy prefix)", () => {
      const options = { publicUrl: "https://host.example/auth/" };
      expect(paths("/auth/", "/auth/refresh", options).ok).toBe(true);
      // Cookie paths without the prefix (a proxy that rewrites them) stay accepted.
      expect(paths("/", "/refresh", options).ok).toBe(true);
      // All three checks must agree on one base: /auth/refresh with /ga4gh/wes/ is no setup.
      const mixed = paths("/ga4gh/wes/", "/auth/refresh", options);
      expect(mixed.ok).toBe(false);
      if (mixed.ok) return;
      expect(mixed.problems.join("\n")).toContain(
        "(the server is under /auth, from [server] public_url)",
      );
      // Without public_url, /auth/refresh covers no route of the server.
      expect(paths("/auth/", "/auth/refresh").ok).toBe(false);
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

  it("the sample etc/tokenleader_settings.ini lists every [login] and [local_auth] key", () => {
    const sample = readFileSync(
      path.resolve(import.meta.dirname, "../../../../etc/tokenleader_settings.ini"),
      "utf8",
    );
    const listed: Record<string, string[]> = {};
    let section = "";
    for (const line of sample.split("\n")) {
      const header = /^\[([^\]]+)\]/.exec(line.trim());
      if (header) section = header[1]!;
      // A key, set or commented out with its default: "\tkey = value" or "\t#key = value".
      const entry = /^\s+#?([a-z_]+) = /.exec(line);
      if (entry) listed[section] = [...(listed[section] ?? []), entry[1]!];
    }
    for (const [name, keys] of Object.entries(LOGIN_SETTING_KEYS)) {
      expect([...keys].sort(), `[${name}]`).toEqual([...(listed[name] ?? [])].sort());
    }
  });
});

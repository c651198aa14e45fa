import { describe, expect, it } from "vitest";
import { parseLoginSettings } from "./settings.js";

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
});

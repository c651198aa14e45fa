import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSettings } from "./load-settings.js";
import { SettingsError } from "./settings-types.js";

// The [login] and [local_auth] sections reach Settings through loadSettings (parsed by
// login/settings.ts), with their problems and warnings merged into the loader's.

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
      rateLimitPerMinute: 10,
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
    expect(
      problems.some((line) => /tokenleader_settings\.ini:4: \[login\] access_ttl/.test(line)),
    ).toBe(true);
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
});

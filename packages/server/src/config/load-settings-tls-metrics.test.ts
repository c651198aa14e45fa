import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSettings } from "./load-settings.js";
import { SettingsError } from "./settings-types.js";

// `[flask_default] ssl` / `ssl_settings`, `[server] tls_cert_file` / `tls_key_file` and `[metrics]`.

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tl-settings-tls-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
function load(text: string, env: Record<string, string> = {}) {
  const dir = path.join(scratch, `case-${counter++}`);
  fs.mkdirSync(dir);
  const file = path.join(dir, "tokenleader_settings.ini");
  fs.writeFileSync(file, text);
  return { dir, settings: () => loadSettings({ configPath: file, env, cwd: scratch }) };
}

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as SettingsError).problems;
  }
  throw new Error("expected a SettingsError");
}

describe("TLS settings", () => {
  it("ssl = enabled alone serves an ad-hoc certificate, and the public URL becomes https", () => {
    const settings = load("[flask_default]\n\tssl = enabled\n\thost_port = 5443\n").settings();
    expect(settings.server.tls).toEqual({ mode: "adhoc" });
    expect(settings.server.publicUrl).toBe("https://127.0.0.1:5443");
    expect(settings.token.issuer).toBe("https://127.0.0.1:5443");
  });

  it("reads certificate files relative to the settings file; ssl_settings defaults to files", () => {
    const { dir, settings } = load(
      "[flask_default]\n\tssl = enabled\n[server]\n\ttls_cert_file = tls/cert.pem\n\ttls_key_file = /etc/tl/key.pem\n",
    );
    expect(settings().server.tls).toEqual({
      mode: "files",
      certFile: path.join(dir, "tls", "cert.pem"),
      keyFile: "/etc/tl/key.pem",
    });
  });

  it("takes the files from the environment (containers)", () => {
    const settings = load("", {
      TOKENLEADER_SSL: "enabled",
      TOKENLEADER_TLS_CERT_FILE: "/run/secrets/cert.pem",
      TOKENLEADER_TLS_KEY_FILE: "/run/secrets/key.pem",
    }).settings();
    expect(settings.server.tls).toEqual({
      mode: "files",
      certFile: "/run/secrets/cert.pem",
      keyFile: "/run/secrets/key.pem",
    });
  });

  it("keeps plain HTTP for anything but ssl = enabled, as the original did", () => {
    const settings = load("[flask_default]\n\tssl = disabled\n\tssl_settings = adhoc\n").settings();
    expect(settings.server.tls).toBeNull();
    expect(settings.server.publicUrl).toMatch(/^http:/);
  });

  it("refuses certificate files while ssl is not enabled", () => {
    const problems = problemsOf(
      load("[server]\n\ttls_cert_file = /c.pem\n\ttls_key_file = /k.pem\n").settings,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/\[server\] tls_cert_file: a TLS certificate is configured/);
    expect(problems[0]).toMatch(/set ssl = enabled/);
  });

  it("ssl_settings = files needs both files, and names each missing one", () => {
    const problems = problemsOf(
      load("[flask_default]\n\tssl = enabled\n\tssl_settings = files\n").settings,
    );
    expect(problems).toEqual([
      expect.stringMatching(/^\[server\] tls_cert_file: missing, but ssl_settings = files needs/),
      expect.stringMatching(/^\[server\] tls_key_file: missing, but ssl_settings = files needs/),
    ]);
  });

  it("refuses a key file without its certificate", () => {
    const problems = problemsOf(
      load("[flask_default]\n\tssl = enabled\n[server]\n\ttls_key_file = /k.pem\n").settings,
    );
    expect(problems).toEqual([expect.stringMatching(/tls_cert_file: missing/)]);
  });

  it("refuses ssl_settings = adhoc together with certificate files", () => {
    const problems = problemsOf(
      load(
        "[flask_default]\n\tssl = enabled\n\tssl_settings = adhoc\n[server]\n\ttls_cert_file = /c.pem\n\ttls_key_file = /k.pem\n",
      ).settings,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/ssl_settings = adhoc makes a throw-away certificate/);
  });

  it("refuses an unknown ssl_settings value, pointing a cert,key pair to the file settings", () => {
    const pair = problemsOf(
      load("[flask_default]\n\tssl = enabled\n\tssl_settings = /c.pem,/k.pem\n").settings,
    );
    expect(pair).toHaveLength(1);
    expect(pair[0]).toMatch(/\[flask_default\] ssl_settings: "\/c.pem,\/k.pem" is not "adhoc"/);
    expect(pair[0]).toMatch(/tls_cert_file and tls_key_file/);
    const other = problemsOf(load("[flask_default]\n\tssl_settings = selfsigned\n").settings);
    expect(other[0]).toMatch(/"selfsigned" is not "adhoc" or "files"; set "adhoc"/);
  });
});

describe("metrics settings", () => {
  it("serves /metrics to this host only by default", () => {
    const settings = load("").settings();
    expect(settings.metrics).toEqual({ enabled: true, allow: ["loopback"], tokenFile: null });
  });

  it("reads the allow list, the token file and the switch", () => {
    const { dir, settings } = load(
      "[metrics]\n\tenabled = yes\n\tallow = 10.0.0.0/8, ::1, loopback\n\ttoken_file = metrics.token\n",
    );
    expect(settings().metrics).toEqual({
      enabled: true,
      allow: ["10.0.0.0/8", "::1", "loopback"],
      tokenFile: path.join(dir, "metrics.token"),
    });
    expect(load("[metrics]\n\tenabled = false\n").settings().metrics.enabled).toBe(false);
  });

  it("names the entries of the allow list it cannot read", () => {
    const problems = problemsOf(
      load("[metrics]\n\tallow = 10.0.0.0/33, prometheus, ::1\n").settings,
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /\[metrics\] allow: "10.0.0.0\/33, prometheus, ::1" is not "any" or a list of addresses \(10.0.0.0\/33, prometheus\)/,
    );
  });

  it('warns when "any" lets every client read /metrics without a token', () => {
    const open = load("[metrics]\n\tallow = any\n").settings();
    expect(open.metrics.allow).toBe("any");
    expect(open.warnings).toEqual([expect.stringMatching(/"any" without \[metrics\] token_file/)]);
    const withToken = load("[metrics]\n\tallow = any\n\ttoken_file = /t\n").settings();
    expect(withToken.warnings).toEqual([]);
  });

  it("refuses a typo in the [metrics] section", () => {
    const problems = problemsOf(load("[metrics]\n\tallowed = any\n").settings);
    expect(problems[0]).toMatch(/\[metrics\] allowed: unknown key; did you mean "allow"\?/);
  });
});

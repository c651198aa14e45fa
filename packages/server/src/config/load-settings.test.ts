// biome-ignore-all lint/suspicious/noTemplateCurlyInString: INI interpolation syntax, not template literals
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSettings } from "./load-settings.js";
import { SettingsError } from "./settings-types.js";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "tl-settings-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const noSystemFile = path.join(scratch, "no-such-system-file.ini");

let counter = 0;
function writeSettings(text: string): string {
  const dir = path.join(scratch, `case-${counter++}`);
  fs.mkdirSync(dir);
  const file = path.join(dir, "tokenleader_settings.ini");
  fs.writeFileSync(file, text);
  return file;
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

// The original 1.8 sample, tab-indented, with the /tmp database and Flask-only keys.
const ORIGINAL_SAMPLE = [
  "[flask_default]",
  "\thost_name = localhost",
  "\thost_port = 5001",
  "\tssl = disabled",
  "\tssl_settings = adhoc",
  "[token]",
  "\t#private_key_file_location = /home/bhujay/.ssh/id_rsa",
  "\tprivate_key_file_location = default",
  "\tpublic_key_file_location = default",
  "[db]",
  "\tSQLALCHEMY_DATABASE_URI = sqlite:////tmp/auth.db",
  "\tSQLALCHEMY_TRACK_MODIFICATIONS = False",
  "",
].join("\n");

describe("loadSettings", () => {
  it("reads the original tab-indented sample file", () => {
    const file = writeSettings(ORIGINAL_SAMPLE);
    const settings = loadSettings({
      configPath: file,
      env: { HOME: "/home/alice" },
      cwd: scratch,
    });
    expect(settings.configFile).toBe(file);
    expect(settings.server.host).toBe("localhost");
    expect(settings.server.port).toBe(5001);
    expect(settings.server.tls).toBeNull();
    expect(settings.token.privateKeyFile).toBe("/home/alice/.ssh/id_rsa");
    expect(settings.token.publicKeyFile).toBe("/home/alice/.ssh/id_rsa.pub");
    expect(settings.token.algorithm).toBe("RS512");
    expect(settings.token.lifetimeSeconds).toBe(3600);
    expect(settings.db).toMatchObject({ url: "file:/tmp/auth.db", provider: "sqlite" });
    expect(settings.server.publicUrl).toBe("http://localhost:5001");
    expect(settings.token.issuer).toBe("http://localhost:5001");
    // Flask keys are accepted silently; the /tmp database is worth a warning.
    expect(settings.warnings).toHaveLength(1);
    expect(settings.warnings[0]).toMatch(/\/tmp\/auth\.db is under \/tmp/);
  });

  it("reads the shipped sample etc/tokenleader_settings.ini without problems", () => {
    const sample = path.resolve(import.meta.dirname, "../../../../etc/tokenleader_settings.ini");
    const settings = loadSettings({ configPath: sample, env: {}, cwd: scratch });
    expect(settings.warnings).toEqual([]);
    expect(settings.server.port).toBe(5001);
    expect(settings.server.bodyLimitBytes).toBe(1024 * 1024);
    expect(settings.enforcer.superRoles).toEqual(["admin"]);
    expect(settings.enforcer.roleToAclMapFile).toBe(
      path.join(path.dirname(sample), "role_to_acl_map.yml"),
    );
  });

  it("uses development defaults under ./var when no settings file exists", () => {
    const settings = loadSettings({ env: {}, cwd: scratch, systemSettingsFile: noSystemFile });
    expect(settings.configFile).toBeNull();
    expect(settings.server.dataDir).toBe(path.join(scratch, "var"));
    expect(settings.db).toMatchObject({
      url: `file:${path.join(scratch, "var", "tokenleader.db")}`,
      provider: "sqlite",
    });
    expect(settings.server.host).toBe("127.0.0.1");
    expect(settings.server.publicUrl).toBe("http://127.0.0.1:5001");
    expect(settings.token.privateKeyFile).toBeNull();
    expect(settings.passwords).toEqual({
      memoryCost: 19456,
      timeCost: 2,
      parallelism: 1,
      minLength: 8,
      maxConcurrentHashes: Math.max(1, os.availableParallelism() - 1),
      maxQueuedHashes: 64,
      hashThreadNice: 10,
    });
    expect(settings.token.clockLeewaySeconds).toBe(60);
    expect(settings.token.acceptTokensWithoutIssuer).toBe(false);
    expect(settings.server.migrateOnStart).toBe(true);
    expect(settings.server.shutdownTimeoutMs).toBe(10_000);
    expect(settings.server.workers).toBe(1);
  });

  it("reads workers as a number from 1 to 256, or auto for the core count", () => {
    const load = (env: Record<string, string>, workers?: string) =>
      loadSettings({ env, cwd: scratch, systemSettingsFile: noSystemFile, overrides: { workers } });
    expect(load({ TOKENLEADER_WORKERS: "4" }).server.workers).toBe(4);
    expect(load({ TOKENLEADER_WORKERS: "AUTO" }).server.workers).toBe(os.availableParallelism());
    expect(load({ TOKENLEADER_WORKERS: "4" }, "auto").server.workers).toBe(
      os.availableParallelism(),
    );
    const problems = (workers: string) =>
      (() => {
        try {
          load({}, workers);
          return [];
        } catch (error) {
          return (error as SettingsError).problems;
        }
      })();
    expect(problems("0")).toEqual([
      '--workers: 0 is not between 1 and 256; set "auto" (one per core) or a whole number of processes between 1 and 256, e.g. 4',
    ]);
    expect(problems("two")[0]).toMatch(/^--workers: "two" is not "auto" or a whole number; /);
  });

  it("returns a deep-frozen object", () => {
    const settings = loadSettings({ env: {}, cwd: scratch, systemSettingsFile: noSystemFile });
    expect(Object.isFrozen(settings)).toBe(true);
    expect(Object.isFrozen(settings.server)).toBe(true);
    expect(Object.isFrozen(settings.enforcer.superRoles)).toBe(true);
    expect(() => {
      (settings.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it("finds the settings file by precedence: --config, TOKENLEADER_CONFIG, system file", () => {
    const viaFlag = writeSettings("[flask_default]\n\thost_port = 1111\n");
    const viaEnv = writeSettings("[flask_default]\n\thost_port = 2222\n");
    const system = writeSettings("[flask_default]\n\thost_port = 3333\n");
    const env = { TOKENLEADER_CONFIG: viaEnv };
    expect(
      loadSettings({ configPath: viaFlag, env, cwd: scratch, systemSettingsFile: system }).server
        .port,
    ).toBe(1111);
    expect(loadSettings({ env, cwd: scratch, systemSettingsFile: system }).server.port).toBe(2222);
    expect(loadSettings({ env: {}, cwd: scratch, systemSettingsFile: system }).server.port).toBe(
      3333,
    );
  });

  it("refuses a --config or TOKENLEADER_CONFIG file that does not exist", () => {
    expect(
      problemsOf(() => loadSettings({ configPath: "nope.ini", env: {}, cwd: scratch })),
    ).toEqual([expect.stringMatching(/^--config nope\.ini: no such settings file/)]);
    expect(
      problemsOf(() => loadSettings({ env: { TOKENLEADER_CONFIG: "/nope.ini" }, cwd: scratch })),
    ).toEqual([expect.stringMatching(/TOKENLEADER_CONFIG=\/nope\.ini: no such settings file/)]);
  });

  it("reads trust_proxy as false, true or a list of proxy addresses", () => {
    const file = writeSettings(ORIGINAL_SAMPLE);
    const trust = (value: string) =>
      loadSettings({ configPath: file, env: { TOKENLEADER_TRUST_PROXY: value }, cwd: scratch })
        .server.trustProxy;
    expect(trust("false")).toBe(false);
    expect(trust("true")).toBe(true);
    expect(trust("127.0.0.1")).toEqual(["127.0.0.1"]);
    expect(trust("10.0.0.0/8, ::1, loopback")).toEqual(["10.0.0.0/8", "::1", "loopback"]);
    expect(() => trust("maybe")).toThrow(
      /TOKENLEADER_TRUST_PROXY.*not true, false or a list of proxy addresses \(maybe\)/,
    );
    expect(() => trust("10.0.0.0/33")).toThrow(/\(10\.0\.0\.0\/33\)/);
    expect(trust("0")).toBe(false);
    // A hop count (proxy-addr's other form) is refused with what to write instead.
    // `1` too: read as "every entry", it would let clients forge their address.
    for (const hops of ["1", "2", "10"]) {
      const problems = problemsOf(() => trust(hops));
      expect(problems).toEqual([
        `environment variable TOKENLEADER_TRUST_PROXY: ${hops} is a hop count; hop counts are not supported (Fastify cannot safely trust them: it cannot tell a proxy from a client that adds hops); fix: list the proxies' addresses instead (e.g. 127.0.0.1 or 10.0.0.0/8, comma-separated)`,
      ]);
    }
  });

  it("closes slow connections by default: request 30 s, headers 10 s, keep-alive 65 s, idle 60 s", () => {
    const settings = loadSettings({ env: {}, cwd: scratch, systemSettingsFile: noSystemFile });
    expect(settings.server.timeouts).toEqual({
      requestMs: 30_000,
      headersMs: 10_000,
      keepAliveMs: 65_000,
      idleMs: 60_000,
    });
  });

  it("reads the connection timeouts in seconds and refuses none, or headers longer than the request", () => {
    const file = writeSettings(
      `${ORIGINAL_SAMPLE}\n[server]\nrequest_timeout = 2.5\nheaders_timeout = 1\nkeep_alive_timeout = 5\nidle_timeout = 20\n`,
    );
    expect(loadSettings({ configPath: file, env: {}, cwd: scratch }).server.timeouts).toEqual({
      requestMs: 2500,
      headersMs: 1000,
      keepAliveMs: 5000,
      idleMs: 20_000,
    });
    const withEnv = (env: Record<string, string>) => () =>
      loadSettings({ configPath: file, env, cwd: scratch });
    expect(problemsOf(withEnv({ TOKENLEADER_REQUEST_TIMEOUT: "0" }))).toEqual([
      expect.stringMatching(/TOKENLEADER_REQUEST_TIMEOUT: 0 is below 0.1; set a number of seconds/),
    ]);
    expect(problemsOf(withEnv({ TOKENLEADER_HEADERS_TIMEOUT: "5" }))).toEqual([
      expect.stringMatching(
        /TOKENLEADER_HEADERS_TIMEOUT: headers_timeout 5 is longer than request_timeout 2.5; .*at most request_timeout/,
      ),
    ]);
  });

  it("reads the PostgreSQL pool limits: connect 5 s, statement 10 s, 10 connections by default", () => {
    const defaults = loadSettings({ env: {}, cwd: scratch, systemSettingsFile: noSystemFile });
    expect(defaults.db).toMatchObject({
      connectTimeoutMs: 5000,
      statementTimeoutMs: 10_000,
      poolSize: 10,
    });
    const file = writeSettings(
      "[db]\nurl = postgresql://tl@db.example:5432/tl\nconnect_timeout = 1.5\nstatement_timeout = 3\npool_size = 4\n",
    );
    expect(loadSettings({ configPath: file, env: {}, cwd: scratch }).db).toMatchObject({
      connectTimeoutMs: 1500,
      statementTimeoutMs: 3000,
      poolSize: 4,
    });
    const withEnv = (env: Record<string, string>) => () =>
      loadSettings({ configPath: file, env, cwd: scratch });
    expect(problemsOf(withEnv({ TOKENLEADER_DB_POOL_SIZE: "0" }))).toEqual([
      expect.stringMatching(/TOKENLEADER_DB_POOL_SIZE: 0 is below 1; set a whole number/),
    ]);
    expect(problemsOf(withEnv({ TOKENLEADER_DB_STATEMENT_TIMEOUT: "soon" }))).toEqual([
      expect.stringMatching(/TOKENLEADER_DB_STATEMENT_TIMEOUT: "soon" is not a number/),
    ]);
  });

  it("refuses trust_proxy = 2 in the settings file as a hop count", () => {
    const file = writeSettings(`${ORIGINAL_SAMPLE}\n[server]\ntrust_proxy = 2\n`);
    expect(problemsOf(() => loadSettings({ configPath: file, env: {}, cwd: scratch }))).toEqual([
      expect.stringMatching(
        /trust_proxy.* is a hop count; hop counts are not supported .*list the proxies' addresses instead/,
      ),
    ]);
  });

  it("lets environment variables override single keys, and --db override everything", () => {
    const file = writeSettings(ORIGINAL_SAMPLE);
    const env = {
      TOKENLEADER_PORT: "6001",
      TOKENLEADER_HOST: "0.0.0.0",
      TOKENLEADER_DB_URL: "postgres://tl@db.example:5432/tl",
      TOKENLEADER_TOKEN_ALGORITHM: "es256",
      TOKENLEADER_DATA_DIR: "data",
      TOKENLEADER_LOG_LEVEL: "DEBUG",
      TOKENLEADER_PUBLIC_KEY_FILE: "/keys/pub.pem",
      TOKENLEADER_SUPER_ROLES: "",
      TOKENLEADER_ROLE_TO_ACL_MAP: "acl.yml",
    };
    const settings = loadSettings({ configPath: file, env, cwd: scratch });
    expect(settings.server.port).toBe(6001);
    expect(settings.server.host).toBe("0.0.0.0");
    expect(settings.server.publicUrl).toBe("http://localhost:6001");
    expect(settings.db).toMatchObject({
      url: "postgresql://tl@db.example:5432/tl",
      provider: "postgresql",
    });
    expect(settings.token.algorithm).toBe("ES256");
    expect(settings.server.dataDir).toBe(path.join(scratch, "data"));
    expect(settings.server.logLevel).toBe("debug");
    expect(settings.token.publicKeyFile).toBe("/keys/pub.pem");
    expect(settings.enforcer.superRoles).toEqual(["admin"]); // empty variable = unset
    expect(settings.enforcer.roleToAclMapFile).toBe(path.join(scratch, "acl.yml"));

    const withFlag = loadSettings({
      configPath: file,
      env,
      cwd: scratch,
      overrides: { dbUrl: "file:other.db" },
    });
    expect(withFlag.db).toMatchObject({
      url: `file:${path.join(scratch, "other.db")}`,
      provider: "sqlite",
    });
  });

  it("reads super roles as a comma list, with none (or an empty file value) for no super role", () => {
    const file = writeSettings(`${ORIGINAL_SAMPLE}\n[enforcer]\n\tsuper_roles = admin, ops\n`);
    const load = (env: Record<string, string>) =>
      loadSettings({ configPath: file, env, cwd: scratch }).enforcer.superRoles;
    expect(load({})).toEqual(["admin", "ops"]);
    expect(load({ TOKENLEADER_SUPER_ROLES: "none" })).toEqual([]);
    expect(load({ TOKENLEADER_SUPER_ROLES: "root" })).toEqual(["root"]);
    const emptyInFile = writeSettings(`${ORIGINAL_SAMPLE}\n[enforcer]\n\tsuper_roles =\n`);
    expect(
      loadSettings({ configPath: emptyInFile, env: {}, cwd: scratch }).enforcer.superRoles,
    ).toEqual([]);
  });

  it("accepts every documented database URL form", () => {
    const load = (url: string) =>
      loadSettings({
        env: { TOKENLEADER_DB_URL: url },
        cwd: "/srv",
        systemSettingsFile: noSystemFile,
      }).db;
    expect(load("file:/data/tl.db")).toMatchObject({ url: "file:/data/tl.db", provider: "sqlite" });
    expect(load("file:rel/tl.db")).toMatchObject({
      url: "file:/srv/rel/tl.db",
      provider: "sqlite",
    });
    expect(load("sqlite:////data/auth.db")).toMatchObject({
      url: "file:/data/auth.db",
      provider: "sqlite",
    });
    expect(load("sqlite:///rel/auth.db")).toMatchObject({
      url: "file:/srv/rel/auth.db",
      provider: "sqlite",
    });
    expect(load("postgresql://u:p@h:5432/d").provider).toBe("postgresql");
  });

  it("resolves relative paths in the file against the file's directory and [db] url wins", () => {
    const file = writeSettings(
      "[server]\n\tdata_dir = state\n[db]\n\turl = file:${server:data_dir}/x.db\n\tSQLALCHEMY_DATABASE_URI = sqlite:////ignored.db\n",
    );
    const settings = loadSettings({ configPath: file, env: {}, cwd: scratch });
    const dir = path.dirname(file);
    expect(settings.server.dataDir).toBe(path.join(dir, "state"));
    expect(settings.db.url).toBe(`file:${path.join(dir, "state", "x.db")}`);
  });

  it("interpolates ${key}, ${section:key}, ${HERE}, environment variables and $$", () => {
    const file = writeSettings(
      [
        "[common]",
        "\tbase = https://auth.example.org",
        "\troot = ${base}",
        "[server]",
        "\tpublic_url = ${common:root}",
        "[token]",
        "\tissuer = ${server:public_url}/${TENANT}",
        "\tprivate_key_file_location = ${HERE}/keys/private.pem",
        "[flask_default]",
        "\tSECRET_KEY = pa$$word",
      ].join("\n"),
    );
    const settings = loadSettings({ configPath: file, env: { TENANT: "acme" }, cwd: scratch });
    expect(settings.server.publicUrl).toBe("https://auth.example.org");
    expect(settings.token.issuer).toBe("https://auth.example.org/acme");
    expect(settings.token.privateKeyFile).toBe(path.join(path.dirname(file), "keys/private.pem"));
    // A section of its own for shared values: unknown to the server, so only a warning.
    expect(settings.warnings).toEqual([`${file}: unknown section [common] is ignored`]);
  });

  it("reports every bad value on its own line naming file, line, section, key and the fix", () => {
    const file = writeSettings(
      [
        "[flask_default]",
        "\thost_port = abc",
        "[token]",
        "\talgorithm = HS256",
        "\tlifetime_seconds = 5",
        "[db]",
        "\turl = mysql://x",
        "[server]",
        "\tlog_level = chatty",
        "\tmigrate_on_start = maybe",
      ].join("\n"),
    );
    const problems = problemsOf(() => loadSettings({ configPath: file, env: {}, cwd: scratch }));
    expect(problems).toHaveLength(6);
    expect(problems).toContain(
      `${file}:2 [flask_default] host_port: "abc" is not a number; set an integer between 1 and 65535, e.g. 5001`,
    );
    expect(problems).toContainEqual(
      expect.stringMatching(
        /:4 \[token\] algorithm: "HS256" is not a supported signing algorithm; set one of RS512, PS512, ES256, EdDSA$/,
      ),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/:5 \[token\] lifetime_seconds: 5 is below 60/),
    );
    expect(problems).toContainEqual(
      expect.stringMatching(/:7 \[db\] url: "mysql:\/\/x" is not usable/),
    );
    expect(problems).toContainEqual(expect.stringMatching(/\[server\] log_level: "chatty"/));
    expect(problems).toContainEqual(
      expect.stringMatching(/\[server\] migrate_on_start: "maybe" is not true or false/),
    );
  });

  it("names the environment variable when an override is bad", () => {
    const problems = problemsOf(() =>
      loadSettings({
        env: { TOKENLEADER_PORT: "99999", TOKENLEADER_PUBLIC_URL: "ftp://x" },
        cwd: scratch,
        systemSettingsFile: noSystemFile,
      }),
    );
    expect(problems).toEqual([
      "environment variable TOKENLEADER_PORT: 99999 is above 65535; set an integer between 1 and 65535, e.g. 5001",
      expect.stringMatching(
        /^environment variable TOKENLEADER_PUBLIC_URL: "ftp:\/\/x" is not an http\(s\) URL/,
      ),
    ]);
  });

  it("states the fix for an unusable database URL once", () => {
    const [problem] = problemsOf(() =>
      loadSettings({
        env: { TOKENLEADER_DB_URL: "mysql://x" },
        cwd: scratch,
        systemSettingsFile: noSystemFile,
      }),
    );
    expect(problem).toMatch(/TOKENLEADER_DB_URL: "mysql:\/\/x" is not usable: .* use "file:/);
    expect(problem?.match(/use "file:/g)).toHaveLength(1);
  });

  it("refuses in-memory SQLite and argon2 parameters weaker than OWASP's", () => {
    expect(
      problemsOf(() =>
        loadSettings({
          env: { TOKENLEADER_DB_URL: "sqlite://" },
          cwd: scratch,
          systemSettingsFile: noSystemFile,
        }),
      )[0],
    ).toMatch(/TOKENLEADER_DB_URL: "sqlite:\/\/" is not usable/);
    const file = writeSettings("[passwords]\n\tmemory_cost = 8192\n\ttime_cost = 1\n");
    expect(problemsOf(() => loadSettings({ configPath: file, env: {}, cwd: scratch }))[0]).toMatch(
      /argon2 memory 8192 KiB x time 1 is weaker than the OWASP minimum/,
    );
  });

  it("reads [audit] retention_days (default 90, 0 keeps forever) and refuses a negative one", () => {
    const defaults = loadSettings({ env: {}, cwd: scratch, systemSettingsFile: noSystemFile });
    expect(defaults.audit.retentionDays).toBe(90);
    const forever = writeSettings("[audit]\n\tretention_days = 0\n");
    expect(loadSettings({ configPath: forever, env: {}, cwd: scratch }).audit.retentionDays).toBe(
      0,
    );
    expect(
      loadSettings({
        configPath: forever,
        env: { TOKENLEADER_AUDIT_RETENTION_DAYS: "30" },
        cwd: scratch,
      }).audit.retentionDays,
    ).toBe(30);
    const negative = writeSettings("[audit]\n\tretention_days = -1\n");
    expect(
      problemsOf(() => loadSettings({ configPath: negative, env: {}, cwd: scratch }))[0],
    ).toMatch(/\[audit\] retention_days.*0 \(keep forever\)/);
  });

  it("reads the password minimum, the clock leeway and the missing-issuer switch, and refuses bad ones", () => {
    const file = writeSettings(
      "[token]\n\tclock_leeway_seconds = 5\n\taccept_tokens_without_issuer = yes\n" +
        "[passwords]\n\tmin_length = 12\n",
    );
    const settings = loadSettings({ configPath: file, env: {}, cwd: scratch });
    expect(settings.passwords.minLength).toBe(12);
    expect(settings.token.clockLeewaySeconds).toBe(5);
    expect(settings.token.acceptTokensWithoutIssuer).toBe(true);
    const fromEnv = loadSettings({
      configPath: file,
      env: {
        TOKENLEADER_PASSWORD_MIN_LENGTH: "10",
        TOKENLEADER_ACCEPT_TOKENS_WITHOUT_ISSUER: "no",
      },
      cwd: scratch,
    });
    expect(fromEnv.passwords.minLength).toBe(10);
    expect(fromEnv.token.acceptTokensWithoutIssuer).toBe(false);
    const bad = writeSettings(
      "[token]\n\tclock_leeway_seconds = 3600\n\taccept_tokens_without_issuer = maybe\n" +
        "[passwords]\n\tmin_length = 0\n",
    );
    const problems = problemsOf(() => loadSettings({ configPath: bad, env: {}, cwd: scratch }));
    expect(problems).toHaveLength(3);
    expect(problems.join("\n")).toMatch(/clock_leeway_seconds.*between 0 and 600/);
    expect(problems.join("\n")).toMatch(/accept_tokens_without_issuer.*set yes or no/);
    expect(problems.join("\n")).toMatch(/min_length.*between 1 and 1024/);
  });

  it("reads [token] profile: tokenleader by default, standard when set, a typo refused", () => {
    const none = writeSettings("[token]\n\tlifetime_seconds = 600\n");
    expect(loadSettings({ configPath: none, env: {}, cwd: scratch }).token.profile).toBe(
      "tokenleader",
    );
    const standard = writeSettings("[token]\n\tprofile = Standard\n");
    expect(loadSettings({ configPath: standard, env: {}, cwd: scratch }).token.profile).toBe(
      "standard",
    );
    expect(
      loadSettings({
        configPath: standard,
        env: { TOKENLEADER_TOKEN_PROFILE: "tokenleader" },
        cwd: scratch,
      }).token.profile,
    ).toBe("tokenleader");
    const typo = writeSettings("[token]\n\tprofile = rfc7519\n");
    expect(problemsOf(() => loadSettings({ configPath: typo, env: {}, cwd: scratch }))).toEqual([
      expect.stringMatching(
        /\[token\] profile: "rfc7519" is not tokenleader or standard; set tokenleader/,
      ),
    ]);
  });

  it("reads [token] rsa_key_bits (2048 by default) and [passwords] hash_thread_nice (10 by default)", () => {
    const none = writeSettings("[token]\n\tlifetime_seconds = 600\n");
    const defaults = loadSettings({ configPath: none, env: {}, cwd: scratch });
    expect(defaults.token.rsaKeyBits).toBe(2048);
    expect(defaults.passwords.hashThreadNice).toBe(10);
    const set = writeSettings(
      "[token]\n\trsa_key_bits = 4096\n[passwords]\n\thash_thread_nice = 0\n",
    );
    const loaded = loadSettings({
      configPath: set,
      env: { TOKENLEADER_RSA_KEY_BITS: "3072" },
      cwd: scratch,
    });
    expect(loaded.token.rsaKeyBits).toBe(3072);
    expect(loaded.passwords.hashThreadNice).toBe(0);
    const bad = writeSettings(
      "[token]\n\trsa_key_bits = 1024\n[passwords]\n\thash_thread_nice = 20\n",
    );
    expect(problemsOf(() => loadSettings({ configPath: bad, env: {}, cwd: scratch }))).toEqual([
      expect.stringMatching(
        /\[token\] rsa_key_bits: 1024 is not one of 2048, 3072, 4096; set 2048, 3072 or 4096$/,
      ),
      expect.stringMatching(/\[passwords\] hash_thread_nice: 20 is above 19; set an integer nice/),
    ]);
    const odd = writeSettings("[token]\n\trsa_key_bits = 2560\n");
    expect(problemsOf(() => loadSettings({ configPath: odd, env: {}, cwd: scratch }))).toEqual([
      expect.stringMatching(
        /rsa_key_bits: 2560 is not one of 2048, 3072, 4096; set 2048, 3072 or 4096$/,
      ),
    ]);
  });

  it("refuses an unknown key in a section of the server, with a suggestion", () => {
    const file = writeSettings(
      "[flask_default]\n\thost_name = 0.0.0.0\n\thost_prot = 8080\n[login]\n\tenabeld = false\n",
    );
    expect(problemsOf(() => loadSettings({ configPath: file, env: {}, cwd: scratch }))).toEqual([
      `${file}:3 [flask_default] host_prot: unknown key; did you mean "host_port"? (see the sample etc/tokenleader_settings.ini)`,
      `${file}:5 [login] enabeld: unknown key; did you mean "enabled"? (see the sample etc/tokenleader_settings.ini)`,
    ]);
    const far = writeSettings("[passwords]\n\tsalt_rounds = 12\n");
    expect(problemsOf(() => loadSettings({ configPath: far, env: {}, cwd: scratch }))).toEqual([
      `${far}:2 [passwords] salt_rounds: unknown key; the keys of [passwords] are memory_cost, time_cost, parallelism, min_length, max_concurrent_hashes, max_queued_hashes, hash_thread_nice (see the sample etc/tokenleader_settings.ini)`,
    ]);
  });

  it("accepts every key of the original's settings file, Flask keys included", () => {
    // Every key of the original's sample, and Flask keys it merged into its config.
    const file = writeSettings(
      ORIGINAL_SAMPLE.replace("[token]\n", "\tDEBUG = True\n\tSECRET_KEY = x\n[token]\n"),
    );
    const settings = loadSettings({ configPath: file, env: {}, cwd: scratch });
    expect(settings.server.port).toBe(5001);
  });

  it("warns about an unknown section with a suggestion, and knows [login] and [local_auth]", () => {
    const file = writeSettings(
      "[tokne]\n\tx = 1\n[login]\n\tenabled = true\n[local_auth]\n\tenabled = false\n",
    );
    const settings = loadSettings({ configPath: file, env: {}, cwd: scratch });
    expect(settings.warnings).toEqual([
      `${file}: unknown section [tokne] is ignored; did you mean [token]?`,
    ]);
  });

  it("keeps the default data directory beside the settings file, wherever the server starts", () => {
    const file = writeSettings("[flask_default]\n\thost_port = 5001\n");
    const elsewhere = path.join(scratch, "elsewhere");
    const settings = loadSettings({ configPath: file, env: {}, cwd: elsewhere });
    expect(settings.server.dataDir).toBe(path.join(path.dirname(file), "var"));
    expect(settings.db.url).toBe(`file:${path.join(path.dirname(file), "var", "tokenleader.db")}`);
    // The environment's relative paths follow the working directory.
    const fromEnv = loadSettings({
      configPath: file,
      env: { TOKENLEADER_DATA_DIR: "data" },
      cwd: elsewhere,
    });
    expect(fromEnv.server.dataDir).toBe(path.join(elsewhere, "data"));
  });

  it("names the flag when a command-line value is bad", () => {
    const run = (overrides: Record<string, string | boolean>) =>
      problemsOf(() =>
        loadSettings({ env: {}, cwd: scratch, systemSettingsFile: noSystemFile, overrides }),
      );
    expect(run({ port: "abc" })).toEqual([
      '--port: "abc" is not a number; set an integer between 1 and 65535, e.g. 5001',
    ]);
    expect(run({ port: "70000" })).toEqual([
      "--port: 70000 is above 65535; set an integer between 1 and 65535, e.g. 5001",
    ]);
    expect(run({ host: "a b" })[0]).toMatch(/^--host: "a b" contains white space/);
    const settings = loadSettings({
      env: { TOKENLEADER_PORT: "6000" },
      cwd: scratch,
      systemSettingsFile: noSystemFile,
      overrides: { port: 7000, migrateOnStart: false },
    });
    expect(settings.server.port).toBe(7000);
    expect(settings.server.migrateOnStart).toBe(false);
  });

  it("reports INI syntax errors with line numbers", () => {
    const file = writeSettings("host_port = 1\n[flask_default]\n\tthis line has no delimiter\n");
    const problems = problemsOf(() => loadSettings({ configPath: file, env: {}, cwd: scratch }));
    expect(problems).toEqual([
      expect.stringMatching(/:1: key "host_port" appears before any \[section\] header/),
      expect.stringMatching(/:3: cannot read line "this line has no delimiter"/),
    ]);
  });
});

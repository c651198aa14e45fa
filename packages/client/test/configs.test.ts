import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseClientConfig } from "../src/config/client-config-file.js";
import { CLIENT_CONFIG_SAMPLE } from "../src/config/client-config-sample.js";
import { Configs } from "../src/config/configs.js";
import { ClientError } from "../src/errors.js";
import { makeTempDir, writeOriginalTestData } from "./fixtures.js";

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

function configError(fn: () => unknown): ClientError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ClientError);
    return err as ClientError;
  }
  throw new Error("expected a ClientError");
}

// The original client's base_tests.py TestConfigs (reference §9.3), same data: user1/user1,
// http://localhost:5001, the repository's Fernet key and password file.
describe("base_tests.py TestConfigs, reproduced", () => {
  it("test_generate_auth_file_with_encrypted_pwd: generating after deleting the password file creates it", async () => {
    const { configFile, passwordFile } = writeOriginalTestData(tmp.dir);
    unlinkSync(passwordFile);
    const conf = new Configs({ configFile });
    await conf.generateUserAuthFile("user1");
    expect(existsSync(passwordFile)).toBe(true);
    expect(new Configs({ configFile }).decryptPassword()).toBe("user1");
  });

  it("test_generate_auth_file_with_encrypted_pwd_as_param: same through Configs(user, password)", async () => {
    const { configFile, passwordFile } = writeOriginalTestData(tmp.dir);
    unlinkSync(passwordFile);
    const conf = new Configs({ configFile, user: "user1", password: "user1" });
    await conf.generateUserAuthFile("user1");
    expect(existsSync(passwordFile)).toBe(true);
  });

  it("test_get_user_auth_info: decryptPassword gives (user1, user1, http://localhost:5001)", () => {
    const { configFile } = writeOriginalTestData(tmp.dir);
    const conf = new Configs({ configFile });
    conf.decryptPassword();
    expect([conf.tlPassword, conf.tlUser, conf.tlUrl]).toEqual([
      "user1",
      "user1",
      "http://localhost:5001",
    ]);
  });

  it("test_client_has_got_the_encrypted_n_param_passwords: both ways give user1", () => {
    const { configFile } = writeOriginalTestData(tmp.dir);
    const fromFile = new Configs({ configFile });
    const fromParams = new Configs({ configFile, user: "user1", password: "user1" });
    expect(fromFile.resolveCredentials()).toEqual({ username: "user1", password: "user1" });
    expect(fromParams.resolveCredentials()).toEqual({ username: "user1", password: "user1" });
  });
});

describe("Configs reading client_configs.yml", () => {
  it("reads the original sample format, duplicate ssl_verify included (last wins)", () => {
    const { configFile, passwordFile, keyFile } = writeOriginalTestData(tmp.dir);
    const conf = Configs.load({ configFile });
    expect(conf.configFile).toBe(configFile);
    expect(conf.sslVerify).toBe(false);
    expect(conf.userAuthInfoFrom).toBe("file");
    expect(conf.userAuthInfoFileLocation).toBe(passwordFile);
    expect(conf.fernetKeyFile).toBe(keyFile);
    expect(conf.tlPublicKey).toMatch(/^ssh-rsa AAAAB3/);
    expect(conf.tlJwksUrl).toBe("http://localhost:5001/.well-known/jwks.json");
    expect(conf.generalConfig.tl_user).toBe("user1");

    writeFileSync(configFile, `${readFileSync(configFile, "utf8")}ssl_verify: True\n`);
    expect(new Configs({ configFile }).sslVerify).toBe(true);
  });

  it("finds the file through TOKENLEADER_CLIENT_CONFIG and expands ~", () => {
    const configFile = join(tmp.dir, "c.yml");
    writeFileSync(
      configFile,
      "user_auth_info_file_location: ~/tl/pw.ini\nfernet_key_file: ~/tl/key\ntl_user: u\ntl_url: https://tl.example:5001/\nca_file: ~/ca.pem\n",
    );
    const conf = new Configs({ env: { TOKENLEADER_CLIENT_CONFIG: configFile } });
    expect(conf.userAuthInfoFileLocation).toBe(join(homedir(), "tl/pw.ini"));
    expect(conf.fernetKeyFile).toBe(join(homedir(), "tl/key"));
    expect(conf.caFile).toBe(join(homedir(), "ca.pem"));
    expect(conf.tlUrl).toBe("https://tl.example:5001");
    expect(conf.sslVerify).toBe(true);
  });

  it("OSENV takes the user and password from TL_USER and TL_PASSWORD; an explicit password wins", () => {
    const configFile = join(tmp.dir, "c.yml");
    writeFileSync(
      configFile,
      "user_auth_info_from: OSENV\ntl_user: fromfile\ntl_url: http://localhost:5001\n",
    );
    const env = { TL_USER: "envuser", TL_PASSWORD: "envpw" };
    expect(new Configs({ configFile, env }).resolveCredentials()).toEqual({
      username: "envuser",
      password: "envpw",
    });
    expect(new Configs({ configFile, env, password: "explicit" }).resolveCredentials()).toEqual({
      username: "envuser",
      password: "explicit",
    });
    const noPw = configError(() => new Configs({ configFile, env: {} }).resolveCredentials());
    expect(noPw.code).toBe("CREDENTIALS");
    expect(noPw.message).toMatch(/TL_PASSWORD is not set/);
  });

  it("an explicit password wins over the password file (the original discarded it)", () => {
    const { configFile } = writeOriginalTestData(tmp.dir);
    expect(new Configs({ configFile, user: "u2", password: "pw2" }).resolveCredentials()).toEqual({
      username: "u2",
      password: "pw2",
    });
  });

  it("a missing file names the file and points to tokenleader-auth --help and a sample", () => {
    const missing = join(tmp.dir, "nope.yml");
    const err = configError(() => new Configs({ configFile: missing }));
    expect(err.code).toBe("CONFIG");
    expect(err.message).toContain(missing);
    expect(err.message).toContain("tokenleader-auth --help");
    expect(err.message).toContain("etc/client_configs.yml");
  });

  it.each([
    ["tl_url missing", "user_auth_info_from: OSENV\n", /key "tl_url" is missing/],
    ["tl_url not a URL", "user_auth_info_from: OSENV\ntl_url: localhost:5001\n", /key "tl_url"/],
    [
      "bad user_auth_info_from",
      "user_auth_info_from: ldap\ntl_url: http://x\n",
      /key "user_auth_info_from" must be "file" or "OSENV"/,
    ],
    [
      "file mode without password file",
      "tl_url: http://x\nfernet_key_file: k\n",
      /key "user_auth_info_file_location" is missing/,
    ],
    [
      "file mode without key file",
      "tl_url: http://x\nuser_auth_info_file_location: p\n",
      /key "fernet_key_file" is missing/,
    ],
    [
      "ssl_verify of the wrong type",
      "user_auth_info_from: OSENV\ntl_url: http://x\nssl_verify: [1]\n",
      /key "ssl_verify"/,
    ],
    [
      "tl_user a mapping",
      "user_auth_info_from: OSENV\ntl_url: http://x\ntl_user: {a: 1}\n",
      /key "tl_user" must be a string/,
    ],
    ["not a mapping", "- a\n- b\n", /must be a YAML mapping/],
    ["broken YAML", "tl_url: [unclosed\n", /is not valid YAML/],
  ])("rejects %s with a CONFIG error naming file and key", (_label, text, pattern) => {
    const configFile = join(tmp.dir, "bad.yml");
    writeFileSync(configFile, text);
    const err = configError(() => new Configs({ configFile }));
    expect(err.code).toBe("CONFIG");
    expect(err.message).toContain(configFile);
    expect(err.message).toMatch(pattern);
  });

  it("an empty file is an empty mapping (so the first missing key is reported)", () => {
    const configFile = join(tmp.dir, "empty.yml");
    writeFileSync(configFile, "");
    expect(configError(() => new Configs({ configFile })).message).toMatch(
      /key "user_auth_info_file_location"|key "tl_url"/,
    );
  });

  it("reads ssl_verify yes/no words like the server's settings", () => {
    const sslVerify = (value: string) =>
      parseClientConfig(
        `user_auth_info_from: OSENV\ntl_url: https://x\nssl_verify: ${value}\n`,
        "/c.yml",
      ).sslVerify;
    expect(sslVerify("no")).toBe(false);
    expect(sslVerify("Off")).toBe(false);
    expect(sslVerify("False")).toBe(false);
    expect(sslVerify("yes")).toBe(true);
  });

  it("names every bad key on its own line", () => {
    const err = configError(() =>
      parseClientConfig("user_auth_info_from: ldap\ntl_url: localhost\n", "/c.yml"),
    );
    expect(err.message.split("\n")).toEqual([
      '/c.yml: key "user_auth_info_from" must be "file" or "OSENV", not "ldap"',
      '/c.yml: key "tl_url" is not a URL: "localhost"',
    ]);
  });

  it("treats ssl_verify given as a path as a CA bundle, like Python requests did", () => {
    const conf = parseClientConfig(
      "user_auth_info_from: OSENV\ntl_url: https://x\nssl_verify: /etc/ssl/ca.pem\n",
      "/c.yml",
    );
    expect(conf.sslVerify).toBe(true);
    expect(conf.caFile).toBe("/etc/ssl/ca.pem");
  });

  it("reads the repository sample etc/client_configs.yml and has the same keys as the --help sample", () => {
    const samplePath = join(import.meta.dirname, "../../../etc/client_configs.yml");
    const sample = parseClientConfig(readFileSync(samplePath, "utf8"), samplePath);
    expect(sample.tlUrl).toBe("http://localhost:5001");
    expect(sample.tlPublicKey).toMatch(/^ssh-rsa /);
    const keysOf = (text: string) =>
      [...text.matchAll(/^#?\s*([a-z_]+):/gm)].map((m) => m[1]).filter((k) => k !== "default");
    for (const key of keysOf(CLIENT_CONFIG_SAMPLE)) {
      expect(readFileSync(samplePath, "utf8")).toContain(`${key}:`);
    }
  });
});

describe("credential files written by Configs", () => {
  it("creates the key file (44 chars, no newline) and the password file with mode 0600, INI format", async () => {
    const configFile = join(tmp.dir, "c.yml");
    const pw = join(tmp.dir, "sub/dir/user_settings.ini");
    const key = join(tmp.dir, "sub/dir/farnetkeys");
    writeFileSync(
      configFile,
      `user_auth_info_file_location: ${pw}\nfernet_key_file: ${key}\ntl_user: u\ntl_url: http://x\n`,
    );
    const result = await new Configs({ configFile }).generateUserAuthFile("s3cret");
    expect(result.keyCreated).toBe(true);
    expect(readFileSync(key, "utf8")).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(readFileSync(pw, "utf8")).toMatch(
      /^\[DEFAULT\]\ntl_password = gAAAAA[A-Za-z0-9_=-]+\n\n$/,
    );
    expect(statSync(pw).mode & 0o777).toBe(0o600);
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(new Configs({ configFile }).decryptPassword()).toBe("s3cret");
  });

  it("refuses to overwrite an existing password file unless forced; force keeps the key", async () => {
    const { configFile, passwordFile, keyFile } = writeOriginalTestData(tmp.dir);
    const before = readFileSync(passwordFile, "utf8");
    await expect(new Configs({ configFile }).generateUserAuthFile("other")).rejects.toMatchObject({
      name: "ClientError",
      code: "CREDENTIALS",
      message: expect.stringMatching(
        /already exists, delete this file first to generate a new one/,
      ),
    });
    expect(readFileSync(passwordFile, "utf8")).toBe(before);

    const keyBefore = readFileSync(keyFile, "utf8");
    await new Configs({ configFile }).generateUserAuthFile("other", { force: true });
    expect(readFileSync(keyFile, "utf8")).toBe(keyBefore);
    expect(new Configs({ configFile }).decryptPassword()).toBe("other");
  });

  const corruptions: Array<[string, (files: { passwordFile: string; keyFile: string }) => void]> = [
    [
      "a wrong key",
      ({ keyFile }) => writeFileSync(keyFile, "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4="),
    ],
    ["a corrupt key file", ({ keyFile }) => writeFileSync(keyFile, "not a key\n")],
    [
      "a truncated Fernet token",
      ({ passwordFile }) =>
        writeFileSync(
          passwordFile,
          "[DEFAULT]\ntl_password = gAAAAABcdAf3ESewvr2jRp1J7WqmTvch4Len\n",
        ),
    ],
    [
      "a bad HMAC",
      ({ passwordFile }) => {
        const text = readFileSync(passwordFile, "utf8");
        writeFileSync(passwordFile, text.replace("ywtYci1w==", "ywtYci1A=="));
      },
    ],
  ];
  it.each(corruptions)(
    "reports %s as 'credential file … cannot be decrypted with key file …' and changes nothing",
    (_label, corrupt) => {
      const files = writeOriginalTestData(tmp.dir);
      corrupt(files);
      const pwBefore = readFileSync(files.passwordFile, "utf8");
      const keyBefore = readFileSync(files.keyFile, "utf8");
      const err = configError(() =>
        new Configs({ configFile: files.configFile }).resolveCredentials(),
      );
      expect(err.code).toBe("CREDENTIALS");
      expect(err.message).toContain(
        `credential file ${files.passwordFile} cannot be decrypted with key file ${files.keyFile}`,
      );
      expect(readFileSync(files.passwordFile, "utf8")).toBe(pwBefore);
      expect(readFileSync(files.keyFile, "utf8")).toBe(keyBefore);
    },
  );

  it("a missing password file says to run tokenleader-auth", () => {
    const files = writeOriginalTestData(tmp.dir);
    unlinkSync(files.passwordFile);
    const err = configError(() =>
      new Configs({ configFile: files.configFile }).resolveCredentials(),
    );
    expect(err.code).toBe("CREDENTIALS");
    expect(err.message).toMatch(/does not exist: create it with "tokenleader-auth"/);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type KeySource, type SyncKeySource, staticKeySource } from "@tokenleader/client";
import { afterAll, describe, expect, it } from "vitest";
import { createEnforcer, type EnforcerOptions } from "../src/index.js";
import { generateSigningKey, mintToken, openSshLine, TEST_ISSUER } from "./support/tokens.js";

const key = generateSigningKey();
const dir = mkdtempSync(join(tmpdir(), "tl-enf-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const acl = [{ name: "role1", allow: ["r"] }];

describe("createEnforcer fails at start-up on bad configuration", () => {
  it.each<[string, EnforcerOptions, string, string]>([
    ["no key", { roleToAclMap: acl }, "ENFORCER_OPTIONS_INVALID", "set one of publicKey, jwksUrl"],
    [
      "two verification modes",
      {
        roleToAclMap: acl,
        publicKey: key.publicPem,
        issuer: TEST_ISSUER,
        jwksUrl: "http://x/jwks",
      },
      "ENFORCER_OPTIONS_INVALID",
      "set only one of",
    ],
    [
      "a junk key",
      { roleToAclMap: acl, publicKey: "not a key" },
      "VERIFICATION_KEY_INVALID",
      "publicKey cannot be used",
    ],
    [
      "HS256 in algorithms",
      { roleToAclMap: acl, publicKey: key.publicPem, issuer: TEST_ISSUER, algorithms: ["HS256"] },
      "ENFORCER_OPTIONS_INVALID",
      "HS256 cannot be used",
    ],
    [
      "an RSA key with only ES256 allowed",
      { roleToAclMap: acl, publicKey: key.publicPem, issuer: TEST_ISSUER, algorithms: ["ES256"] },
      "VERIFICATION_KEY_INVALID",
      "cannot verify any of ES256",
    ],
    [
      "a bad jwksUrl",
      { roleToAclMap: acl, jwksUrl: "not a url" },
      "ENFORCER_OPTIONS_INVALID",
      "not a valid URL",
    ],
    [
      "a missing ACL file",
      { roleToAclMapFile: join(dir, "nope.yml"), publicKey: key.publicPem, issuer: TEST_ISSUER },
      "ACL_MAP_UNREADABLE",
      "file not found",
    ],
  ])("%s", (_name, options, code, message) => {
    expect(() => createEnforcer(options)).toThrow(
      expect.objectContaining({ code, message: expect.stringContaining(message) }),
    );
  });

  it("options of the wrong type or range: one line per bad option, naming it", () => {
    const options = {
      roleToAclMap: acl,
      publicKey: key.publicPem,
      issuer: TEST_ISSUER,
      compat: "yes",
      cookie: { name: "" },
      tokenCache: { maxEntries: -5 },
    } as unknown as EnforcerOptions;
    expect(() => createEnforcer(options)).toThrow(
      expect.objectContaining({
        code: "ENFORCER_OPTIONS_INVALID",
        message: [
          "compat must be true or false",
          "cookie.name must not be empty",
          "tokenCache.maxEntries must not be negative",
        ].join("\n"),
      }),
    );
  });

  it("an ACL file with a broken entry, naming it", () => {
    const file = join(dir, "bad.yml");
    writeFileSync(file, "- name: role1\n  allow: [r]\n- name: role2\n");
    expect(() =>
      createEnforcer({ roleToAclMapFile: file, publicKey: key.publicPem, issuer: TEST_ISSUER }),
    ).toThrow(/bad\.yml: entry 2 \(role 'role2'\) at line 3: has no allow list/);
  });

  it("the default ACL path is /etc/tokenleader/role_to_acl_map.yml", () => {
    expect(() => createEnforcer({ publicKey: key.publicPem, issuer: TEST_ISSUER })).toThrow(
      /\/etc\/tokenleader\/role_to_acl_map\.yml/,
    );
  });

  it("enforce('') is a wiring error", async () => {
    const { createEnforcer: createExpress } = await import("../src/express.js");
    const enforcer = createExpress({
      roleToAclMap: acl,
      publicKey: key.publicPem,
      issuer: TEST_ISSUER,
    });
    expect(() => enforcer.enforce("")).toThrow(/rule name must be a non-empty string/);
  });
});

describe("enforcer.check without a framework", () => {
  it("accepts an ssh-rsa public key line and decides a plain request object", async () => {
    const line = openSshLine(key);
    const enforcer = createEnforcer({ roleToAclMap: acl, publicKey: line, issuer: TEST_ISSUER });
    const token = await mintToken(key, { roles: ["role1"] });
    const result = await enforcer.check(
      { method: "GET", headers: { "x-auth-token": token }, clientAddress: "10.1.2.3" },
      "r",
    );
    expect(result.allowed).toBe(true);
    if (result.allowed) expect(result.context.wfc.clientAddress).toBe("10.1.2.3");
    const denied = await enforcer.check({ method: "GET", headers: {} }, "r");
    expect(denied).toMatchObject({ allowed: false, status: 401, code: "TOKEN_MISSING" });
  });

  it("reports the address it is given and never reads X-Forwarded-For itself", async () => {
    const warnings: string[] = [];
    const enforcer = createEnforcer({
      roleToAclMap: acl,
      publicKey: key.publicPem,
      issuer: TEST_ISSUER,
      trustProxy: true,
      logger: { error: () => {}, warn: (_d, message) => warnings.push(message), info: () => {} },
    });
    expect(warnings).toEqual([
      "the trustProxy option is ignored: clientAddress follows the web framework's trust-proxy setting",
    ]);
    const token = await mintToken(key, { roles: ["role1"] });
    const headers = { "x-auth-token": token, "x-forwarded-for": "6.6.6.6" };
    const given = await enforcer.check({ method: "GET", headers, clientAddress: "10.1.2.3" }, "r");
    expect(given.allowed && given.context.wfc.clientAddress).toBe("10.1.2.3");
    // A caller still on the old field name keeps working.
    const legacy = await enforcer.check({ method: "GET", headers, remoteAddress: "10.9.9.9" }, "r");
    expect(legacy.allowed && legacy.context.wfc.clientAddress).toBe("10.9.9.9");
    const none = await enforcer.check({ method: "GET", headers }, "r");
    expect(none.allowed && none.context.wfc.clientAddress).toBeNull();
  });

  it("refuses a token the issuer revoked, even after it was cached as valid", async () => {
    const revoked = new Set<string>();
    const enforcer = createEnforcer({
      roleToAclMap: acl,
      publicKey: key.publicPem,
      issuer: TEST_ISSUER,
      isTokenActive: (claims) => !revoked.has(String(claims.sid)),
    });
    const token = await mintToken(key, { roles: ["role1"], extraClaims: { sid: "s1" } });
    const req = { method: "GET", headers: { "x-auth-token": token } };
    expect((await enforcer.check(req, "r")).allowed).toBe(true);
    revoked.add("s1");
    expect(await enforcer.check(req, "r")).toMatchObject({
      allowed: false,
      status: 401,
      code: "TOKEN_REVOKED",
    });
  });

  it("lets an error of isTokenActive (the host's database is down) reach the host, not a 401", async () => {
    const outage = new Error("the database is temporarily unavailable");
    const enforcer = createEnforcer({
      roleToAclMap: acl,
      publicKey: key.publicPem,
      issuer: TEST_ISSUER,
      isTokenActive: async () => {
        throw outage;
      },
    });
    const token = await mintToken(key, { roles: ["role1"], extraClaims: { sid: "s1" } });
    const req = { method: "GET", headers: { "x-auth-token": token } };
    await expect(enforcer.check(req, "r")).rejects.toBe(outage);
  });

  it("serves a cached token as expired once its exp passes, without re-verifying", async () => {
    const enforcer = createEnforcer({
      roleToAclMap: acl,
      publicKey: key.publicPem,
      issuer: TEST_ISSUER,
    });
    const token = await mintToken(key, { roles: ["role1"], expiresInSec: 1 });
    const req = { method: "GET", headers: { "x-auth-token": token } };
    expect((await enforcer.check(req, "r")).allowed).toBe(true);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await enforcer.check(req, "r")).toMatchObject({ allowed: false, code: "TOKEN_EXPIRED" });
  });

  it("asks a cookie-authenticated TRACE for the CSRF header, like POST; GET, HEAD, OPTIONS pass", async () => {
    const enforcer = createEnforcer({
      roleToAclMap: acl,
      publicKey: key.publicPem,
      issuer: TEST_ISSUER,
      cookie: { enabled: true },
    });
    const token = await mintToken(key, {
      roles: ["role1"],
      extraClaims: { type: "access", csrf: "c-1", jti: "j1" },
    });
    const headers = { cookie: `access_token_cookie=${token}` };
    for (const method of ["TRACE", "POST", "DELETE"]) {
      expect(await enforcer.check({ method, headers }, "r")).toMatchObject({
        allowed: false,
        code: "CSRF_MISSING",
      });
      const withHeader = await enforcer.check(
        { method, headers: { ...headers, "x-csrf-token": "c-1" } },
        "r",
      );
      expect(withHeader.allowed).toBe(true);
    }
    for (const method of ["GET", "HEAD", "OPTIONS"]) {
      expect((await enforcer.check({ method, headers }, "r")).allowed).toBe(true);
    }
  });
});

describe("the verified-token cache (local verification)", () => {
  /** The test key as a key source that counts its lookups: one per token verified. */
  function countingKeys(sync: boolean): { keySource: KeySource; verifications: () => number } {
    const keys = staticKeySource(key.publicKey);
    let count = 0;
    const syncKeys: SyncKeySource = {
      getKeys: async (hint) => keys.getKeys(hint),
      getKeysSync: (hint) => {
        count++;
        return keys.getKeysSync(hint);
      },
    };
    const asyncKeys: KeySource = {
      getKeys: async (hint) => {
        count++;
        return keys.getKeys(hint);
      },
    };
    const keySource = sync ? syncKeys : asyncKeys;
    return { keySource, verifications: () => count };
  }

  const request = (token: string) => ({ method: "GET", headers: { "x-auth-token": token } });

  it.each([true, false])(
    "verifies a token until it has been seen twice, then serves it from the cache (sync keys: %s)",
    async (sync) => {
      const { keySource, verifications } = countingKeys(sync);
      const enforcer = createEnforcer({ roleToAclMap: acl, keySource, issuer: TEST_ISSUER });
      const token = await mintToken(key, { roles: ["role1"] });
      for (const expected of [1, 2, 2, 2]) {
        expect((await enforcer.check(request(token), "r")).allowed).toBe(true);
        expect(verifications()).toBe(expected);
      }
    },
  );

  it("keeps tokens in steady use cached while tokens presented once stream past", async () => {
    const { keySource, verifications } = countingKeys(true);
    const enforcer = createEnforcer({
      roleToAclMap: acl,
      keySource,
      issuer: TEST_ISSUER,
      tokenCache: { maxEntries: 4 },
    });
    const steady = await mintToken(key, { roles: ["role1"] });
    await enforcer.check(request(steady), "r");
    await enforcer.check(request(steady), "r");
    for (let i = 0; i < 30; i++) {
      const once = await mintToken(key, { roles: ["role1"], extraClaims: { jti: `once-${i}` } });
      expect((await enforcer.check(request(once), "r")).allowed).toBe(true);
    }
    const before = verifications();
    expect((await enforcer.check(request(steady), "r")).allowed).toBe(true);
    expect(verifications()).toBe(before);
  });
});

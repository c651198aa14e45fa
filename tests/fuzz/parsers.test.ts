import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FernetError, fernetDecrypt, fernetEncrypt, generateFernetKey } from "@tokenleader/client";
import { parseIni } from "@tokenleader/client/settings";
import { EnforcerError, parseAclMap } from "@tokenleader/enforcer";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { loadSettings, SettingsError } from "../../packages/server/src/config/index.js";
import { parseUsersFile } from "../../packages/server/src/login/users-file/parse-users-file.js";
import { hostileJson, hostileString } from "./support/hostile-values.js";

// Issue 12, point 6: the parsers of operator- and user-supplied text, fed random and hostile input.
// Each fails only in its documented way (a clean error naming the problem), never with a TypeError
// or RangeError from deep inside. fast-check prints the seed and path of a failure to replay it.

const RUNS = 200;

/** Runs `parse`; a throw must be an instance of `expected`, anything else fails the property. */
function onlyCleanErrors(parse: () => unknown, expected: new (...args: never[]) => Error): void {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof expected)) {
      throw new Error(`unexpected ${(error as Error)?.name}: ${(error as Error)?.message}`, {
        cause: error,
      });
    }
    expect((error as Error).message.length).toBeGreaterThan(0);
  }
}

/** Lines of INI text: real sections and keys of the sample settings file with hostile values. */
const sample = readFileSync(
  fileURLToPath(new URL("../../etc/tokenleader_settings.ini", import.meta.url)),
  "utf8",
);
const SECTIONS = [...sample.matchAll(/^\[([^\]]+)\]/gm)].map((m) => m[1]!);
const KEYS = [...new Set([...sample.matchAll(/^\s*#?\s*([a-z_]+)\s*=/gm)].map((m) => m[1]!))];

const iniLine: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SECTIONS).map((section) => `[${section}]`),
  fc
    .tuple(fc.constantFrom(...KEYS), fc.constantFrom(" = ", "=", ": ", " "), hostileString)
    .map(([key, sep, value]) => `${key}${sep}${value}`),
  fc
    .tuple(fc.constantFrom(...KEYS), fc.constantFrom(...SECTIONS, "", "nosuch", "HERE"))
    .map(([key, section]) => `\t${key} = \${${section ? `${section}:` : ""}${key}}`),
  fc.constantFrom("[", "]", "[]", "[[x]]", "=", " = x", "\tcontinued value", "; comment", "# c"),
  hostileString,
);
const iniText: fc.Arbitrary<string> = fc.oneof(
  fc.array(iniLine, { maxLength: 30 }).map((lines) => lines.join("\n")),
  hostileString,
);

describe("the settings parser", () => {
  const dir = mkdtempSync(join(tmpdir(), "tl-fuzz-settings-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("parseIni returns problems for any text and never throws", () => {
    fc.assert(
      fc.property(iniText, (text) => {
        const result = parseIni(text, { fileName: "fuzz.ini", here: dir, env: {} });
        expect(Array.isArray(result.problems)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });

  it("loadSettings on any file either loads or throws a SettingsError", () => {
    const configPath = join(dir, "tokenleader_settings.ini");
    fc.assert(
      fc.property(iniText, (text) => {
        writeFileSync(configPath, text);
        onlyCleanErrors(() => loadSettings({ configPath, env: {}, cwd: dir }), SettingsError);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("the ACL loader", () => {
  const entry = fc.oneof(
    fc.record({ name: hostileJson, allow: hostileJson }, { requiredKeys: [] }),
    fc.record({ name: hostileString, allow: fc.array(hostileString, { maxLength: 4 }) }),
    hostileJson,
  );
  const aclText = fc.oneof(
    fc.array(entry, { maxLength: 6 }).map((entries) => stringify(entries)),
    hostileJson.map((value) => stringify(value)),
    hostileString,
    fc.constantFrom("- &a [*a]", "a: &x\n  b: *x\n", "- !!js/function 'x'", "--- !!binary AAAA"),
  );

  it("parseAclMap either compiles the map or throws an EnforcerError", () => {
    fc.assert(
      fc.property(aclText, (text) => {
        onlyCleanErrors(() => parseAclMap(text, "fuzz.yml"), EnforcerError);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("the users.yaml loader", () => {
  const user = fc.record(
    {
      roles: hostileJson,
      salt: hostileJson,
      password: hostileJson,
      email: hostileJson,
      hash: hostileJson,
    },
    { requiredKeys: [] },
  );
  const usersText = fc.oneof(
    fc
      .dictionary(hostileString, fc.oneof(user, hostileJson), { maxKeys: 5 })
      .map((users) => stringify(users)),
    hostileJson.map((value) => stringify(value)),
    hostileString,
    fc.constantFrom("a: 1\na: 2\n", "x: &a [*a]", "? [a, b]\n: c\n", "a: !!binary AAAA"),
  );

  it("parseUsersFile answers with a result for any text and never throws", () => {
    fc.assert(
      fc.property(usersText, (text) => {
        const result = parseUsersFile(text);
        if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
      }),
      { numRuns: RUNS },
    );
  });
});

describe("the Fernet decoder", () => {
  const key = generateFernetKey();
  const valid = fernetEncrypt(key, Buffer.from("a stored password"));
  const validBytes = Buffer.from(valid, "base64url");
  const padded = (bytes: Uint8Array) =>
    Buffer.from(bytes).toString("base64").replace(/\+/g, "-").replace(/\//g, "_");

  const token = fc.oneof(
    hostileString,
    // Well-formed base64 of random bytes, with and without the version byte.
    fc.uint8Array({ maxLength: 200 }).map(padded),
    fc
      .uint8Array({ minLength: 57, maxLength: 200 })
      .map((bytes) => padded(Buffer.from([0x80, ...bytes]))),
    // The valid token with one byte changed, or cut.
    fc
      .tuple(fc.nat({ max: validBytes.length - 1 }), fc.integer({ min: 1, max: 255 }))
      .map(([at, delta]) => {
        const copy = Buffer.from(validBytes);
        copy[at] = (copy[at]! + delta) % 256;
        return padded(copy);
      }),
    fc.nat({ max: valid.length - 1 }).map((length) => valid.slice(0, length)),
  );

  it("the valid token decrypts (the properties below test a working decoder)", () => {
    expect(fernetDecrypt(key, valid).toString()).toBe("a stored password");
  });

  it("any other token is refused with a FernetError", () => {
    fc.assert(
      fc.property(token, (candidate) => {
        expect(() => fernetDecrypt(key, candidate)).toThrow(FernetError);
      }),
      { numRuns: RUNS },
    );
  });

  it("any key text is refused with a FernetError unless it is a Fernet key", () => {
    fc.assert(
      fc.property(hostileString, (badKey) => {
        onlyCleanErrors(() => fernetDecrypt(badKey, valid), FernetError);
      }),
      { numRuns: RUNS },
    );
  });
});

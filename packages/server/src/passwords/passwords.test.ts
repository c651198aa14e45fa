import { parseOptions } from "@node-rs/argon2";
import { describe, expect, it } from "vitest";
import { hashPassword } from "./argon2.js";
import { dummyVerify } from "./dummy-verify.js";
import { formatStoredSaltedSha256, saltedSha256, verifySaltedSha256 } from "./salted-sha256.js";
import { storedHashScheme, verifyPassword } from "./verify-password.js";

// Computed independently with Python's hashlib (reference §4.7 for the first one).
const WERKZEUG_SHA256 =
  "pbkdf2:sha256:50000$abcdEFGH$69aaa968e7df7832f5ddd55d5e7617c42392b08314eeb3ebc99ed538074977fb";
const WERKZEUG_SHA1 = "pbkdf2:sha1:1000$saltSALT$1f8d65712c2f8c4b590c97ae4a6aabb142e88c77";
const WERKZEUG_SCRYPT =
  "scrypt:16384:8:1$saltSALTsalt1234$8bf709007173965f2f3ad0385de6aaeb7f95afce753ceccc16478c2c963d6dc32b04045408a783679cf71423bd5613180d60164d38006bf4adbedcba778452ca";
const CHEAP = { memoryCost: 7168, timeCost: 5, parallelism: 1 };

describe("hashPassword", () => {
  it("produces argon2id with the OWASP parameters by default and a fresh salt each time", async () => {
    const first = await hashPassword("s3cret");
    const second = await hashPassword("s3cret");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
    expect(await verifyPassword("s3cret", first)).toEqual({
      ok: true,
      needsRehash: false,
      scheme: "argon2",
    });
    expect((await verifyPassword("s3cret!", first)).ok).toBe(false);
  });

  it("uses the configured parameters", async () => {
    const stored = await hashPassword("pw", { memoryCost: 8192, timeCost: 5, parallelism: 2 });
    expect(parseOptions(stored)).toMatchObject({ memoryCost: 8192, timeCost: 5, parallelism: 2 });
  });
});

describe("verifyPassword", () => {
  it("accepts the original's Werkzeug pbkdf2:sha256 vector and asks for a rehash", async () => {
    expect(await verifyPassword("user1", WERKZEUG_SHA256)).toEqual({
      ok: true,
      needsRehash: true,
      scheme: "werkzeug",
    });
    expect(await verifyPassword("user2", WERKZEUG_SHA256)).toEqual({
      ok: false,
      needsRehash: false,
      scheme: "werkzeug",
    });
  });

  it("accepts pbkdf2:sha1 and Werkzeug scrypt hashes", async () => {
    expect((await verifyPassword("secret", WERKZEUG_SHA1)).ok).toBe(true);
    expect((await verifyPassword("Secret", WERKZEUG_SHA1)).ok).toBe(false);
    expect((await verifyPassword("secret", WERKZEUG_SCRYPT)).ok).toBe(true);
    expect((await verifyPassword("secreT", WERKZEUG_SCRYPT)).ok).toBe(false);
  });

  it("asks for a rehash of argon2 hashes weaker than the configured parameters", async () => {
    const weak = await hashPassword("pw", CHEAP);
    expect(
      await verifyPassword("pw", weak, { memoryCost: 19456, timeCost: 2, parallelism: 1 }),
    ).toEqual({
      ok: true,
      needsRehash: true,
      scheme: "argon2",
    });
    expect((await verifyPassword("pw", weak, CHEAP)).needsRehash).toBe(false);
  });

  it("never matches a missing, empty or corrupt hash", async () => {
    for (const stored of [
      null,
      undefined,
      "",
      "plaintext",
      "pbkdf2:md5:1000$salt$00",
      "pbkdf2:sha256:notanumber$salt$00",
      "pbkdf2:sha256:99999999999$salt$00",
      "$argon2id$v=19$m=19456,t=2,p=1$broken",
    ]) {
      expect((await verifyPassword("pw", stored)).ok, String(stored)).toBe(false);
    }
  });

  it("costs about the same for an unknown user (dummyVerify) as for a real check", async () => {
    const stored = await hashPassword("pw");
    await dummyVerify("pw"); // first call also makes the dummy hash
    // Interleaved runs, fastest of each: robust against other processes sharing the CPU.
    const elapsed = async (run: () => Promise<unknown>) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    let real = Number.POSITIVE_INFINITY;
    let dummy = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i++) {
      real = Math.min(real, await elapsed(() => verifyPassword("wrong", stored)));
      dummy = Math.min(dummy, await elapsed(() => dummyVerify("wrong")));
    }
    expect(await dummyVerify("pw")).toBe(false);
    // A skipped hash would be ~50x faster: bounds wide enough for a loaded 2-core machine.
    expect(dummy / real).toBeGreaterThan(0.2);
    expect(dummy / real).toBeLessThan(5);
  });
});

describe("verifySaltedSha256 (WESkit users.yaml)", () => {
  it("checks hex sha256(password + salt) against the WESkit seed user", () => {
    const salt = "56babfc7-fc0f-490e-9501-5582369d7b7d";
    const hash = "1fa8a6c55d5a474ebd9382779b3b769b5c985679fad831357e290c19d0ad4e12";
    expect(verifySaltedSha256("test", salt, hash)).toBe(true);
    expect(verifySaltedSha256("test", salt, hash.toUpperCase())).toBe(true);
    expect(verifySaltedSha256("test2", salt, hash)).toBe(false);
    expect(verifySaltedSha256("test", "other-salt", hash)).toBe(false);
    expect(verifySaltedSha256("test", salt, "abc")).toBe(false);
  });
});

describe("verifyPassword with an imported WESkit hash (weskit-sha256$salt$hex)", () => {
  const salt = "56babfc7-fc0f-490e-9501-5582369d7b7d";
  const hex = "1fa8a6c55d5a474ebd9382779b3b769b5c985679fad831357e290c19d0ad4e12";

  it("accepts the WESkit seed user's password and asks for a rehash", async () => {
    const stored = formatStoredSaltedSha256(salt, hex.toUpperCase());
    expect(stored).toBe(`weskit-sha256$${salt}$${hex}`);
    expect(storedHashScheme(stored)).toBe("weskit-sha256");
    expect(await verifyPassword("test", stored)).toEqual({
      ok: true,
      needsRehash: true,
      scheme: "weskit-sha256",
    });
    expect((await verifyPassword("test2", stored)).ok).toBe(false);
  });

  it("reads a salt holding '$' (the hex is what follows the last one)", async () => {
    const odd = "a$b$c";
    const stored = formatStoredSaltedSha256(odd, saltedSha256("pw", odd));
    expect((await verifyPassword("pw", stored)).ok).toBe(true);
    expect(storedHashScheme("weskit-sha256$salt$nothex")).toBe("unknown");
    expect((await verifyPassword("pw", "weskit-sha256$salt$nothex")).ok).toBe(false);
  });
});

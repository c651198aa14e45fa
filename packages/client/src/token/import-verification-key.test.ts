import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { importVerificationKey } from "./import-verification-key.js";
import { staticKeySource } from "./key-source.js";
import { generateTestKeyPair, mintToken, toOpenSshLine } from "./mint-token.test-helpers.js";
import { PublicKeyFormatError, parseOpenSshRsaPublicKey } from "./openssh-public-key.js";
import { DEVELOPER_SSH_RSA_PUBLIC_KEY } from "./reference-vectors.test-helpers.js";
import { verifyToken } from "./verify-token.js";

describe("parseOpenSshRsaPublicKey", () => {
  it("parses the developer key into a 2048-bit RSA JWK with e=65537", () => {
    const jwk = parseOpenSshRsaPublicKey(DEVELOPER_SSH_RSA_PUBLIC_KEY);
    expect(jwk.kty).toBe("RSA");
    expect(jwk.e).toBe("AQAB");
    expect(Buffer.from(jwk.n, "base64url").length).toBe(256);
    expect(Buffer.from(jwk.n, "base64url")[0]).not.toBe(0);
  });

  it("gives the same JWK as Node's export of the key the line was made from", () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const expected = publicKey.export({ format: "jwk" });
    expect(parseOpenSshRsaPublicKey(toOpenSshLine(publicKey))).toEqual({
      kty: "RSA",
      n: expected.n,
      e: expected.e,
    });
    // No comment, extra whitespace
    expect(parseOpenSshRsaPublicKey(`  ${toOpenSshLine(publicKey, "").trim()}\n`).n).toBe(
      expected.n,
    );
  });

  it.each([
    ["empty", ""],
    ["no key data", "ssh-rsa"],
    ["other type prefix", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG comment"],
    ["bad base64", "ssh-rsa @@@@ comment"],
    ["truncated data", DEVELOPER_SSH_RSA_PUBLIC_KEY.slice(0, 120)],
    [
      "type mismatch inside the blob",
      `ssh-rsa ${Buffer.from("\0\0\0\x0bssh-ed25519").toString("base64")}`,
    ],
  ])("rejects %s with a PublicKeyFormatError", (_label, line) => {
    expect(() => parseOpenSshRsaPublicKey(line)).toThrow(PublicKeyFormatError);
  });

  it("rejects RSA keys below 2048 bits", () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    expect(() => parseOpenSshRsaPublicKey(toOpenSshLine(publicKey))).toThrow(/below the minimum/);
  });
});

describe("importVerificationKey", () => {
  const { privateKey, publicKey } = generateTestKeyPair("RS512");
  const forms: Array<[string, string]> = [
    ["ssh-rsa line", toOpenSshLine(publicKey)],
    ["SPKI PEM", publicKey.export({ type: "spki", format: "pem" }) as string],
    ["PKCS#1 public PEM", publicKey.export({ type: "pkcs1", format: "pem" }) as string],
    ["PKCS#1 private PEM", privateKey.export({ type: "pkcs1", format: "pem" }) as string],
    ["PKCS#8 private PEM", privateKey.export({ type: "pkcs8", format: "pem" }) as string],
    ["JWK JSON", JSON.stringify(publicKey.export({ format: "jwk" }))],
  ];

  it.each(forms)(
    "reads the %s form as the public key that verifies our tokens",
    async (_label, text) => {
      const key = importVerificationKey(text, "RS512");
      expect(key.type).toBe("public");
      const token = await mintToken(privateKey, "RS512");
      expect((await verifyToken(token, staticKeySource(key))).status).toBe(
        "Verification Successful",
      );
    },
  );

  it("refuses a key that cannot verify the configured algorithm", () => {
    expect(() => importVerificationKey(forms[1]![1], "ES256")).toThrow(/cannot verify ES256/);
  });

  it("explains OpenSSH private keys, encrypted keys and junk", () => {
    expect(() =>
      importVerificationKey(
        "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----",
      ),
    ).toThrow(/ssh-keygen -m PEM/);
    const encrypted = privateKey.export({
      type: "pkcs8",
      format: "pem",
      cipher: "aes-256-cbc",
      passphrase: "x",
    }) as string;
    expect(() => importVerificationKey(encrypted)).toThrow(/encrypted/);
    expect(() => importVerificationKey("hello")).toThrow(/unrecognised verification key/);
    expect(() => importVerificationKey("   ")).toThrow(/empty/);
    expect(() => importVerificationKey(JSON.stringify({ kty: "oct", k: "abc" }))).toThrow(
      /symmetric/,
    );
  });
});

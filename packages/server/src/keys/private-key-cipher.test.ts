import { generateKeyPairSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptPrivateKey, encryptPrivateKey } from "./private-key-cipher.js";

describe("the sealed private key", () => {
  const { privateKey } = generateKeyPairSync("ed25519");
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  const kek = randomBytes(32);

  it("opens with its KEK and kid only; a fresh IV each time", () => {
    const sealed = encryptPrivateKey(kek, privateKey, "kid-1");
    expect(decryptPrivateKey(kek, sealed, "kid-1")).toBe(pem);
    expect(encryptPrivateKey(kek, privateKey, "kid-1")).not.toBe(sealed);
    expect(decryptPrivateKey(randomBytes(32), sealed, "kid-1")).toBeNull();
    // Moved to another row (another kid): refused.
    expect(decryptPrivateKey(kek, sealed, "kid-2")).toBeNull();
  });

  it("refuses an altered ciphertext", () => {
    const sealed = encryptPrivateKey(kek, privateKey, "kid-1");
    // A character well inside the ciphertext (never one of the final group's spare bits).
    const at = sealed.length - 20;
    const altered = `${sealed.slice(0, at)}${sealed[at] === "A" ? "B" : "A"}${sealed.slice(at + 1)}`;
    expect(decryptPrivateKey(kek, altered, "kid-1")).toBeNull();
    expect(decryptPrivateKey(kek, "v2.x.y", "kid-1")).toBeNull();
  });
});

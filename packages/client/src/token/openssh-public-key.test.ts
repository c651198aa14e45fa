import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  formatOpenSshPublicKey,
  isOpenSshPublicKey,
  PublicKeyFormatError,
  parseOpenSshPublicKey,
} from "./openssh-public-key.js";

const pairs: [string, KeyObject][] = [
  ["ssh-rsa", generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey],
  ["ssh-ed25519", generateKeyPairSync("ed25519").publicKey],
  ["ecdsa-sha2-nistp256", generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey],
];

const spki = (key: KeyObject) => key.export({ type: "spki", format: "der" }).toString("hex");

describe("OpenSSH public key lines", () => {
  it.each(pairs)("%s: writes the one-liner and reads back the same key", (type, key) => {
    const line = formatOpenSshPublicKey(key, "my comment");
    expect(line.startsWith(`${type} AAAA`)).toBe(true);
    expect(line.endsWith(" my comment")).toBe(true);
    expect(isOpenSshPublicKey(line)).toBe(true);
    expect(spki(parseOpenSshPublicKey(`  ${line}\n`))).toBe(spki(key));
  });

  it("refuses a line whose key data names another type", () => {
    const ed25519Data = formatOpenSshPublicKey(pairs[1]![1], "c").split(" ")[1];
    expect(() => parseOpenSshPublicKey(`ecdsa-sha2-nistp256 ${ed25519Data}`)).toThrow(
      'the key data holds "ssh-ed25519", not ecdsa-sha2-nistp256',
    );
  });

  it("refuses truncated key data and trailing bytes", () => {
    const data = Buffer.from(formatOpenSshPublicKey(pairs[1]![1], "c").split(" ")[1]!, "base64");
    const truncated = `ssh-ed25519 ${data.subarray(0, data.length - 4).toString("base64")}`;
    expect(() => parseOpenSshPublicKey(truncated)).toThrow(PublicKeyFormatError);
    expect(() => parseOpenSshPublicKey(truncated)).toThrow("key data is truncated");
    const padded = `ssh-ed25519 ${Buffer.concat([data, Buffer.from([0])]).toString("base64")}`;
    expect(() => parseOpenSshPublicKey(padded)).toThrow("trailing bytes after the key data");
  });

  it("does not take other text for a key line", () => {
    expect(isOpenSshPublicKey("-----BEGIN PUBLIC KEY-----")).toBe(false);
    expect(isOpenSshPublicKey("ssh-dss AAAAB3NzaC1kc3M comment")).toBe(false);
    expect(() => parseOpenSshPublicKey("ssh-dss AAAAB3NzaC1kc3M")).toThrow(
      "not an OpenSSH public key",
    );
  });
});

import { createCipheriv, createDecipheriv, type KeyObject, randomBytes } from "node:crypto";

// The at-rest form of a signing key's private half: AES-256-GCM under the key-encryption key,
// with the key's kid as additional data so a ciphertext cannot be moved to another row.
// Layout: "v1.<iv>.<ciphertext><tag>", base64url parts.

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function encryptPrivateKey(kek: Buffer, privateKey: KeyObject, kid: string): string {
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", kek, iv);
  cipher.setAAD(Buffer.from(kid, "utf8"));
  const sealed = Buffer.concat([cipher.update(pem, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString("base64url")}.${sealed.toString("base64url")}`;
}

/** The PKCS#8 PEM, or null when the KEK is not the one it was sealed with (or it was altered). */
export function decryptPrivateKey(kek: Buffer, sealed: string, kid: string): string | null {
  const [version, ivText, bodyText] = sealed.split(".");
  if (version !== VERSION || !ivText || !bodyText) return null;
  const iv = Buffer.from(ivText, "base64url");
  const body = Buffer.from(bodyText, "base64url");
  if (iv.length !== IV_BYTES || body.length <= TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", kek, iv);
    decipher.setAAD(Buffer.from(kid, "utf8"));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    return Buffer.concat([
      decipher.update(body.subarray(0, body.length - TAG_BYTES)),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    return null;
  }
}

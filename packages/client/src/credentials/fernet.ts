import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";

// Fernet, exactly as specified (github.com/fernet/spec): base64url-with-padding of
//   0x80 | timestamp (u64 BE seconds) | IV (16) | AES-128-CBC/PKCS7 ciphertext | HMAC-SHA256 (32)
// with key bytes 0–15 the HMAC key and 16–31 the AES key. Python's `cryptography` reads and writes
// the same format, which is what the original client used for its password file.

export class FernetError extends Error {
  readonly code: "FERNET_KEY" | "FERNET_TOKEN";
  constructor(code: "FERNET_KEY" | "FERNET_TOKEN", message: string) {
    super(message);
    this.name = "FernetError";
    this.code = code;
  }
}

const VERSION = 0x80;
const HEADER_BYTES = 1 + 8 + 16;
const HMAC_BYTES = 32;
const BLOCK = 16;
/** Python's cryptography also refuses tokens more than 60 s in the future when a TTL is checked. */
const MAX_CLOCK_SKEW_SEC = 60;
const BASE64URL_PADDED = /^[A-Za-z0-9_-]*={0,2}$/;

/** Python's urlsafe_b64encode keeps the "=" padding; Node's "base64url" drops it. */
function toBase64UrlPadded(bytes: Buffer): string {
  return bytes.toString("base64").replace(/\+/g, "-").replace(/\//g, "_");
}

export interface FernetKey {
  signingKey: Buffer;
  encryptionKey: Buffer;
}

/** A new key as Python's `Fernet.generate_key()` writes it: 32 random bytes, base64url, padded. */
export function generateFernetKey(): string {
  return toBase64UrlPadded(randomBytes(32));
}

export function parseFernetKey(key: string): FernetKey {
  const text = typeof key === "string" ? key.trim() : "";
  if (!BASE64URL_PADDED.test(text) || text.length !== 44) {
    throw new FernetError("FERNET_KEY", "Fernet key must be 32 url-safe base64-encoded bytes");
  }
  const raw = Buffer.from(text, "base64url");
  if (raw.length !== 32) {
    throw new FernetError("FERNET_KEY", "Fernet key must be 32 url-safe base64-encoded bytes");
  }
  return { signingKey: raw.subarray(0, 16), encryptionKey: raw.subarray(16, 32) };
}

export interface FernetEncryptOptions {
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  /** Fixed IV, for the spec's test vectors only. */
  iv?: Buffer;
}

export function fernetEncrypt(
  key: string,
  plaintext: string | Buffer,
  options: FernetEncryptOptions = {},
): string {
  const { signingKey, encryptionKey } = parseFernetKey(key);
  const iv = options.iv ?? randomBytes(16);
  if (iv.length !== 16) throw new FernetError("FERNET_TOKEN", "Fernet IV must be 16 bytes");
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = VERSION;
  header.writeBigUInt64BE(BigInt(timestamp), 1);
  iv.copy(header, 9);
  const cipher = createCipheriv("aes-128-cbc", encryptionKey, iv);
  const ciphertext = Buffer.concat([
    cipher.update(typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext),
    cipher.final(),
  ]);
  const signed = Buffer.concat([header, ciphertext]);
  const mac = createHmac("sha256", signingKey).update(signed).digest();
  return toBase64UrlPadded(Buffer.concat([signed, mac]));
}

export interface FernetDecryptOptions {
  /** Reject tokens older than this many seconds (the password file never sets one). */
  ttlSec?: number;
  /** Seconds since the epoch; defaults to now. */
  now?: number;
}

/** Returns the plaintext bytes; throws FernetError("FERNET_TOKEN") for any invalid token. */
export function fernetDecrypt(
  key: string,
  token: string,
  options: FernetDecryptOptions = {},
): Buffer {
  const { signingKey, encryptionKey } = parseFernetKey(key);
  const invalid = (why: string) => new FernetError("FERNET_TOKEN", `invalid Fernet token: ${why}`);
  if (typeof token !== "string" || !BASE64URL_PADDED.test(token) || token.length % 4 !== 0) {
    throw invalid("not url-safe base64");
  }
  const data = Buffer.from(token, "base64url");
  if (data.length < HEADER_BYTES + BLOCK + HMAC_BYTES || data[0] !== VERSION) {
    throw invalid(data.length > 0 && data[0] !== VERSION ? "unknown version" : "too short");
  }
  const timestamp = Number(data.readBigUInt64BE(1));
  if (options.ttlSec !== undefined) {
    const now = options.now ?? Math.floor(Date.now() / 1000);
    if (timestamp + options.ttlSec < now) throw invalid("expired");
    if (now + MAX_CLOCK_SKEW_SEC < timestamp) throw invalid("timestamp in the future");
  }
  const signed = data.subarray(0, data.length - HMAC_BYTES);
  const mac = data.subarray(data.length - HMAC_BYTES);
  const expected = createHmac("sha256", signingKey).update(signed).digest();
  if (!timingSafeEqual(mac, expected)) throw invalid("HMAC mismatch (wrong key or altered data)");
  const iv = data.subarray(9, HEADER_BYTES);
  const ciphertext = data.subarray(HEADER_BYTES, data.length - HMAC_BYTES);
  if (ciphertext.length % BLOCK !== 0) throw invalid("ciphertext is not a whole number of blocks");
  try {
    const decipher = createDecipheriv("aes-128-cbc", encryptionKey, iv);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw invalid("bad padding");
  }
}

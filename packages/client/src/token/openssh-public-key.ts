import type { JsonWebKey } from "node:crypto";

// Node's createPublicKey cannot read the OpenSSH one-line format that the original client config
// carries in `tl_public_key` (reference §2.1), so the RFC 4253 wire format is parsed here:
// string "ssh-rsa", mpint e, mpint n.

export class PublicKeyFormatError extends Error {
  readonly code = "KEY_FORMAT";
  constructor(message: string) {
    super(message);
    this.name = "PublicKeyFormatError";
  }
}

/** Smallest RSA modulus accepted; anything shorter is forgeable today. */
const MIN_RSA_BITS = 2048;
/** Bounds the work done on hostile input (a 16384-bit key is already absurd). */
const MAX_LINE_CHARS = 16 * 1024;

export interface OpenSshRsaJwk extends JsonWebKey {
  kty: "RSA";
  n: string;
  e: string;
}

export function isOpenSshRsaPublicKey(text: string): boolean {
  return /^\s*ssh-rsa\s+/.test(text);
}

/** `ssh-rsa AAAA… comment` → `{ kty: "RSA", n, e }` (base64url, no leading zero bytes). */
export function parseOpenSshRsaPublicKey(line: string): OpenSshRsaJwk {
  if (typeof line !== "string" || line.length > MAX_LINE_CHARS) {
    throw new PublicKeyFormatError("OpenSSH public key is missing or too long");
  }
  const fields = line.trim().split(/\s+/);
  if (fields.length < 2 || fields[0] !== "ssh-rsa") {
    throw new PublicKeyFormatError(
      'not an OpenSSH RSA public key: expected "ssh-rsa AAAA… [comment]"',
    );
  }
  const body = fields[1]!;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
    throw new PublicKeyFormatError("OpenSSH public key: the key data is not valid base64");
  }
  const blob = Buffer.from(body, "base64");
  const reader = new WireReader(blob);
  const keyType = reader.readString().toString("latin1");
  if (keyType !== "ssh-rsa") {
    throw new PublicKeyFormatError(
      `OpenSSH public key: the key data holds "${keyType}", not ssh-rsa`,
    );
  }
  const e = stripLeadingZeros(reader.readString());
  const n = stripLeadingZeros(reader.readString());
  if (!reader.atEnd()) {
    throw new PublicKeyFormatError("OpenSSH public key: trailing bytes after the modulus");
  }
  if (e.length === 0 || n.length === 0) {
    throw new PublicKeyFormatError("OpenSSH public key: empty exponent or modulus");
  }
  const bits = bitLength(n);
  if (bits < MIN_RSA_BITS) {
    throw new PublicKeyFormatError(
      `OpenSSH public key: RSA modulus of ${bits} bits is below the minimum of ${MIN_RSA_BITS}`,
    );
  }
  return { kty: "RSA", n: n.toString("base64url"), e: e.toString("base64url") };
}

class WireReader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  readString(): Buffer {
    if (this.offset + 4 > this.buf.length) {
      throw new PublicKeyFormatError("OpenSSH public key: key data is truncated");
    }
    const length = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    if (length > this.buf.length - this.offset) {
      throw new PublicKeyFormatError("OpenSSH public key: key data is truncated");
    }
    const out = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  atEnd(): boolean {
    return this.offset === this.buf.length;
  }
}

function stripLeadingZeros(mpint: Buffer): Buffer {
  let i = 0;
  while (i < mpint.length && mpint[i] === 0) i++;
  return mpint.subarray(i);
}

function bitLength(unsigned: Buffer): number {
  return (unsigned.length - 1) * 8 + (32 - Math.clz32(unsigned[0]!));
}

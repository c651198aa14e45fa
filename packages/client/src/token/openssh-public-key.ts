import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";

// Node's createPublicKey cannot read the OpenSSH one-line format (`ssh-rsa AAAA… comment`) that
// the original distributes its public key in and client configs carry in `tl_public_key`
// (reference §2.1). The RFC 4253 / RFC 5656 / RFC 8709 wire format is parsed here for the client
// and the server alike: ssh-rsa (string, mpint e, mpint n), and the Ed25519 and P-256 variants the
// server uses for its newer algorithms. The encoder writes the one-liner for generated keys.

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

const OPENSSH_LINE =
  /^\s*(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp256)\s+([A-Za-z0-9+/]+={0,2})(\s.*)?$/s;

export interface OpenSshRsaJwk extends JsonWebKey {
  kty: "RSA";
  n: string;
  e: string;
}

export function isOpenSshRsaPublicKey(text: string): boolean {
  return /^\s*ssh-rsa\s+/.test(text);
}

/** An OpenSSH public key line of a type `parseOpenSshPublicKey` reads (RSA, Ed25519, P-256). */
export function isOpenSshPublicKey(text: string): boolean {
  return OPENSSH_LINE.test(text.trim());
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
  const reader = new WireReader(Buffer.from(body, "base64"));
  reader.expectKeyType("ssh-rsa");
  const e = stripLeadingZeros(reader.readString());
  const n = stripLeadingZeros(reader.readString());
  reader.expectEnd();
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

/** Parses an OpenSSH public key line (RSA, Ed25519, EC P-256) into a Node key object. */
export function parseOpenSshPublicKey(text: string): KeyObject {
  const line = text.trim();
  if (isOpenSshRsaPublicKey(line)) {
    return createPublicKey({ key: parseOpenSshRsaPublicKey(line), format: "jwk" });
  }
  if (line.length > MAX_LINE_CHARS) {
    throw new PublicKeyFormatError("OpenSSH public key is too long");
  }
  const match = OPENSSH_LINE.exec(line);
  if (!match) throw new PublicKeyFormatError('not an OpenSSH public key ("ssh-rsa AAAA… comment")');
  const [, type, data] = match;
  const reader = new WireReader(Buffer.from(data!, "base64"));
  reader.expectKeyType(type!);
  let jwk: JsonWebKey;
  if (type === "ssh-ed25519") {
    const raw = reader.readString();
    if (raw.length !== 32) {
      throw new PublicKeyFormatError("OpenSSH public key: an Ed25519 key must be 32 bytes");
    }
    jwk = { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") };
  } else {
    const curve = reader.readString().toString("latin1");
    if (curve !== "nistp256") {
      throw new PublicKeyFormatError(`OpenSSH public key: unsupported ECDSA curve "${curve}"`);
    }
    const point = reader.readString();
    if (point.length !== 65 || point[0] !== 4) {
      throw new PublicKeyFormatError(
        "OpenSSH public key: the P-256 key must be an uncompressed point",
      );
    }
    jwk = {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    };
  }
  reader.expectEnd();
  return createPublicKey({ key: jwk, format: "jwk" });
}

/** The OpenSSH one-line form of a public key (RSA, Ed25519, EC P-256). */
export function formatOpenSshPublicKey(key: KeyObject, comment: string): string {
  const jwk = key.export({ format: "jwk" });
  let type: string;
  let parts: Buffer[];
  if (jwk.kty === "RSA") {
    type = "ssh-rsa";
    parts = [Buffer.from(type), mpint(jwk.e!), mpint(jwk.n!)];
  } else if (jwk.kty === "OKP" && jwk.crv === "Ed25519") {
    type = "ssh-ed25519";
    parts = [Buffer.from(type), Buffer.from(jwk.x!, "base64url")];
  } else if (jwk.kty === "EC" && jwk.crv === "P-256") {
    type = "ecdsa-sha2-nistp256";
    const point = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(jwk.x!, "base64url"),
      Buffer.from(jwk.y!, "base64url"),
    ]);
    parts = [Buffer.from(type), Buffer.from("nistp256"), point];
  } else {
    throw new PublicKeyFormatError(`no OpenSSH format for ${jwk.kty} ${jwk.crv ?? ""}`);
  }
  const blob = Buffer.concat(parts.flatMap((part) => [uint32(part.length), part]));
  return `${type} ${blob.toString("base64")} ${comment}`;
}

/** Reads the length-prefixed strings of the SSH wire format (RFC 4251 §5). */
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

  /** The key data repeats the type named on the line; a mismatch is a tampered or mixed-up key. */
  expectKeyType(type: string): void {
    const inner = this.readString().toString("latin1");
    if (inner !== type) {
      throw new PublicKeyFormatError(
        `OpenSSH public key: the key data holds "${inner}", not ${type}`,
      );
    }
  }

  expectEnd(): void {
    if (this.offset !== this.buf.length) {
      throw new PublicKeyFormatError("OpenSSH public key: trailing bytes after the key data");
    }
  }
}

function stripLeadingZeros(unsigned: Buffer): Buffer {
  let i = 0;
  while (i < unsigned.length && unsigned[i] === 0) i++;
  return unsigned.subarray(i);
}

function bitLength(unsigned: Buffer): number {
  return (unsigned.length - 1) * 8 + (32 - Math.clz32(unsigned[0]!));
}

function mpint(base64url: string): Buffer {
  const bytes = Buffer.from(base64url, "base64url");
  // An mpint is two's complement: a set high bit needs a leading zero to stay positive.
  return bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

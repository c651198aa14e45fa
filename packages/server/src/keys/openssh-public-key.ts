import { createPublicKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { isOpenSshRsaPublicKey, parseOpenSshRsaPublicKey } from "@tokenleader/client";

// The original distributes the public key as an OpenSSH one-liner (`ssh-rsa AAAA… comment`,
// reference §2.1). Node cannot read that format: ssh-rsa is parsed by the shared client code;
// the Ed25519 and P-256 variants (for the newer algorithms) are parsed here. The encoder writes
// the one-liner for generated keys so operators can paste it into `tl_public_key` as before.

const OPENSSH_LINE =
  /^\s*(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp256)\s+([A-Za-z0-9+/]+={0,2})(\s.*)?$/s;

export function isOpenSshPublicKey(text: string): boolean {
  return OPENSSH_LINE.test(text.trim());
}

/** Parses an OpenSSH public key line into a Node key object; throws Error naming the problem. */
export function parseOpenSshPublicKey(text: string): KeyObject {
  const line = text.trim();
  if (isOpenSshRsaPublicKey(line)) {
    return createPublicKey({ key: parseOpenSshRsaPublicKey(line), format: "jwk" });
  }
  const match = OPENSSH_LINE.exec(line);
  if (!match) throw new Error('not an OpenSSH public key ("ssh-rsa AAAA… comment")');
  const [, type, data] = match;
  const reader = new SshWireReader(Buffer.from(data!, "base64"));
  const innerType = reader.readString().toString("latin1");
  if (innerType !== type) {
    throw new Error(`the key data holds "${innerType}" but the line says "${type}"`);
  }
  let jwk: JsonWebKey;
  if (type === "ssh-ed25519") {
    const raw = reader.readString();
    if (raw.length !== 32) throw new Error("an Ed25519 public key must be 32 bytes");
    jwk = { kty: "OKP", crv: "Ed25519", x: raw.toString("base64url") };
  } else {
    const curve = reader.readString().toString("latin1");
    if (curve !== "nistp256") throw new Error(`unsupported ECDSA curve "${curve}"`);
    const point = reader.readString();
    if (point.length !== 65 || point[0] !== 4) {
      throw new Error("the P-256 public key must be an uncompressed point");
    }
    jwk = {
      kty: "EC",
      crv: "P-256",
      x: point.subarray(1, 33).toString("base64url"),
      y: point.subarray(33).toString("base64url"),
    };
  }
  if (!reader.atEnd()) throw new Error("trailing bytes after the key data");
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
    throw new Error(`no OpenSSH format for ${jwk.kty} ${jwk.crv ?? ""}`);
  }
  const blob = Buffer.concat(parts.flatMap((part) => [uint32(part.length), part]));
  return `${type} ${blob.toString("base64")} ${comment}`;
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

class SshWireReader {
  private offset = 0;
  constructor(private readonly buf: Buffer) {}

  readString(): Buffer {
    if (this.offset + 4 > this.buf.length) throw new Error("the key data is truncated");
    const length = this.buf.readUInt32BE(this.offset);
    this.offset += 4;
    if (length > this.buf.length - this.offset) throw new Error("the key data is truncated");
    const out = this.buf.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  atEnd(): boolean {
    return this.offset === this.buf.length;
  }
}

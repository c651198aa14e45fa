import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { SignJWT } from "jose";

export type TestKeyAlg = "RS512" | "PS512" | "ES256" | "EdDSA";

export function generateTestKeyPair(alg: TestKeyAlg): {
  privateKey: KeyObject;
  publicKey: KeyObject;
} {
  switch (alg) {
    case "RS512":
    case "PS512":
      return generateKeyPairSync("rsa", { modulusLength: 2048 });
    case "ES256":
      return generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    case "EdDSA":
      return generateKeyPairSync("ed25519");
  }
}

export const SAMPLE_SUBJECT = {
  id: 1,
  username: "user1",
  email: "user1",
  roles: ["role1"],
  wfc: { id: 1, name: "wfc1", org: "org1", orgunit: "ou1", department: "dept1" },
};

/** Mints a token in the original's layout (iat/exp integers, `sub` an object). */
export async function mintToken(
  privateKey: KeyObject,
  alg: string,
  opts: { kid?: string; expiresInSec?: number; sub?: unknown; extraClaims?: object } = {},
): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({
    sub: opts.sub ?? SAMPLE_SUBJECT,
    iat,
    exp: iat + (opts.expiresInSec ?? 3600),
    ...opts.extraClaims,
  } as Record<string, unknown>)
    .setProtectedHeader({ alg, typ: "JWT", ...(opts.kid ? { kid: opts.kid } : {}) })
    .sign(privateKey);
}

/** Builds the OpenSSH one-line form of an RSA public key (the inverse of the parser under test). */
export function toOpenSshLine(publicKey: KeyObject, comment = "test@host"): string {
  const jwk = publicKey.export({ format: "jwk" }) as { n: string; e: string };
  const str = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const mpint = (b64url: string) => {
    const raw = Buffer.from(b64url, "base64url");
    return str(raw[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw);
  };
  const blob = Buffer.concat([str(Buffer.from("ssh-rsa")), mpint(jwk.e), mpint(jwk.n)]);
  return `ssh-rsa ${blob.toString("base64")} ${comment}`;
}

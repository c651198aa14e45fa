import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { jose } from "./jose.js";

export interface TestSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as PEM text, the way an operator would configure it. */
  publicPem: string;
  kid?: string;
}

export function generateSigningKey(kid?: string): TestSigningKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privateKey,
    publicKey,
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
    kid,
  };
}

/** The public JWK as a JWKS endpoint would publish it. */
export function publicJwk(key: TestSigningKey): Record<string, unknown> {
  return {
    ...(key.publicKey.export({ format: "jwk" }) as Record<string, unknown>),
    kid: key.kid,
    alg: "RS512",
    use: "sig",
  };
}

export const WFC1 = { id: 1, name: "wfc1", org: "org1", orgunit: "ou1", department: "dept1" };

/** A `sub` in the original's layout (reference §2.2). */
export function subject(
  username: string,
  roles: string[],
  wfc: Record<string, unknown> | null = WFC1,
): Record<string, unknown> {
  return { id: 1, username, email: `${username}@itc.in`, roles, wfc };
}

/** The issuer test tokens carry, and the `issuer` option test enforcers expect. */
export const TEST_ISSUER = "https://tokenleader.test";

export interface MintOptions {
  /** `iss`; default TEST_ISSUER; null leaves it out (a token of tokenleader 1.8). */
  issuer?: string | null;
  sub?: unknown;
  roles?: string[];
  username?: string;
  alg?: string;
  expiresInSec?: number;
  extraClaims?: Record<string, unknown>;
}

/** Signs a token like the tokenleader server does: integer iat/exp, `sub` an object, RS512. */
export async function mintToken(key: TestSigningKey, opts: MintOptions = {}): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  const sub = opts.sub ?? subject(opts.username ?? "user1", opts.roles ?? ["role1"]);
  const issuer = opts.issuer === undefined ? TEST_ISSUER : opts.issuer;
  return new jose.SignJWT({
    sub,
    iat,
    exp: iat + (opts.expiresInSec ?? 3600),
    ...(issuer === null ? {} : { iss: issuer }),
    ...opts.extraClaims,
  } as Record<string, unknown>)
    .setProtectedHeader({
      alg: opts.alg ?? "RS512",
      typ: "JWT",
      ...(key.kid ? { kid: key.kid } : {}),
    })
    .sign(key.privateKey);
}

/** A token signed with a shared secret (an algorithm-confusion attempt). */
export async function mintHs256Token(secret: string, roles: string[]): Promise<string> {
  const iat = Math.floor(Date.now() / 1000);
  // `sub` is an object in tokenleader tokens; jose types it as a string.
  const payload = {
    sub: subject("mallory", roles),
    iat,
    exp: iat + 3600,
  } as unknown as jose.JWTPayload;
  return new jose.SignJWT(payload)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(secret));
}

/** Replaces the payload of a signed token, keeping its header and signature. */
export function tamperPayload(token: string, change: (payload: Record<string, unknown>) => void) {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload!, "base64url").toString("utf8"));
  change(claims);
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
}

/** The OpenSSH one-line form (`ssh-rsa AAAA… comment`) of a key, as in client_configs.yml. */
export function openSshLine(key: TestSigningKey, comment = "ops@host"): string {
  const jwk = key.publicKey.export({ format: "jwk" }) as { n: string; e: string };
  const field = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    return Buffer.concat([length, bytes]);
  };
  // mpints are signed: a leading 0x00 keeps a high first bit from reading as negative.
  const mpint = (b64url: string) => {
    const raw = Buffer.from(b64url, "base64url");
    return field(raw[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw);
  };
  const blob = Buffer.concat([field(Buffer.from("ssh-rsa")), mpint(jwk.e), mpint(jwk.n)]);
  return `ssh-rsa ${blob.toString("base64")} ${comment}`;
}

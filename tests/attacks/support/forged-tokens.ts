// The forged-token list of issue 12: every token an attacker can make without the server's private
// key (alg none, HMAC keyed with the public key, header injection, tampering, malformed shapes),
// plus tokens signed with the real key whose content must still be refused (expired, crit, b64,
// payloads that are not a claims object, a `sub` of the wrong shape, other algorithms of the same
// key, a foreign or missing issuer, an issue time in the future). Every verifier of the project
// must refuse each of them.

import { createHmac, generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import { formatOpenSshPublicKey } from "@tokenleader/client";

export interface ForgedToken {
  /** What the attack is, shown in failure messages. */
  readonly name: string;
  readonly token: string;
}

export interface ServerKeyMaterial {
  /** The server's RSA signing key (only the "signed by the server" cases use it). */
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The kid the server puts in its tokens and its JWKS. */
  readonly kid: string;
  /** A real token the server issued to some user: the base of the tampering cases. */
  readonly validToken: string;
}

const b64url = (data: string | Buffer) => Buffer.from(data).toString("base64url");

/** A compact JWS from raw header and payload JSON text (raw, so duplicate keys survive). */
function compact(headerJson: string, payloadJson: string, signer?: (input: string) => Buffer) {
  const input = `${b64url(headerJson)}.${b64url(payloadJson)}`;
  return `${input}.${signer ? b64url(signer(input)) : ""}`;
}

const hmac = (alg: "HS256" | "HS384" | "HS512", secret: Buffer | string) => (input: string) =>
  createHmac(`sha${alg.slice(2)}`, secret)
    .update(input)
    .digest();

const rsaPkcs1 =
  (key: KeyObject, hash = "sha512") =>
  (input: string) =>
    sign(hash, Buffer.from(input), key);

const rsaPss = (key: KeyObject, hash: string) => (input: string) =>
  sign(hash, Buffer.from(input), { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: 32 });

const ecdsaP256 = (key: KeyObject) => (input: string) =>
  sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });

const ed25519 = (key: KeyObject) => (input: string) => sign(null, Buffer.from(input), key);

const json = (value: unknown) => JSON.stringify(value);

/** The claims a real token of the admin would carry, with fresh times. */
export function adminClaims(now = Math.floor(Date.now() / 1000)): Record<string, unknown> {
  return {
    iat: now,
    exp: now + 3600,
    sub: {
      id: 1,
      username: "admin",
      email: "admin@example.org",
      roles: ["admin", "role1"],
      wfc: { id: 1, name: "wfc1", org: "org1", orgunit: "ou1", department: "dept1" },
    },
  };
}

/** Every form of the server's public key an HMAC confusion attack might use as the secret. */
export function publicKeyForms(publicKey: KeyObject): Array<{ form: string; secret: Buffer }> {
  const spkiPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const pkcs1Pem = publicKey.export({ type: "pkcs1", format: "pem" }).toString();
  const spkiDer = publicKey.export({ type: "spki", format: "der" });
  const pkcs1Der = publicKey.export({ type: "pkcs1", format: "der" });
  const jwk = publicKey.export({ format: "jwk" }) as { n: string; e: string; kty: string };
  const sshWithComment = formatOpenSshPublicKey(publicKey, "tokenleader@server");
  const sshLine = sshWithComment.split(" ").slice(0, 2).join(" ");
  const pemBody = (pem: string) => pem.split("\n").filter((l) => l && !l.startsWith("-----"));
  const forms: Record<string, string | Buffer> = {
    "PEM SPKI": spkiPem,
    "PEM SPKI without trailing newline": spkiPem.trimEnd(),
    "PEM SPKI with CRLF": spkiPem.replaceAll("\n", "\r\n"),
    "PEM PKCS#1": pkcs1Pem,
    "PEM PKCS#1 without trailing newline": pkcs1Pem.trimEnd(),
    "PEM body without armour": pemBody(spkiPem).join(""),
    "PEM body lines without armour": `${pemBody(spkiPem).join("\n")}\n`,
    "DER SPKI": spkiDer,
    "DER PKCS#1": pkcs1Der,
    "base64 of DER SPKI": spkiDer.toString("base64"),
    "base64url of DER SPKI": spkiDer.toString("base64url"),
    "base64 of DER PKCS#1": pkcs1Der.toString("base64"),
    "JWK JSON": json(jwk),
    "JWK JSON pretty": `${JSON.stringify(jwk, null, 2)}\n`,
    "ssh-rsa line": sshLine,
    "ssh-rsa line with newline": `${sshLine}\n`,
    "ssh-rsa line with comment": sshWithComment,
    "ssh-rsa line with comment and newline": `${sshWithComment}\n`,
    "n alone (base64url)": jwk.n,
    "n alone (bytes)": Buffer.from(jwk.n, "base64url"),
    "e alone": jwk.e,
    "empty secret (kid pointing at /dev/null)": "",
  };
  return Object.entries(forms).map(([form, secret]) => ({ form, secret: Buffer.from(secret) }));
}

export interface AttackerKeys {
  rsa: { privateKey: KeyObject; publicKey: KeyObject };
  ec: { privateKey: KeyObject; publicKey: KeyObject };
  ed: { privateKey: KeyObject; publicKey: KeyObject };
}

export function generateAttackerKeys(): AttackerKeys {
  return {
    rsa: generateKeyPairSync("rsa", { modulusLength: 2048 }),
    ec: generateKeyPairSync("ec", { namedCurve: "prime256v1" }),
    ed: generateKeyPairSync("ed25519"),
  };
}

/** The whole list; names are unique. */
export function forgedTokens(server: ServerKeyMaterial, attacker: AttackerKeys): ForgedToken[] {
  const list: ForgedToken[] = [];
  const add = (name: string, token: string) => list.push({ name, token });
  const claims = json(adminClaims());
  const [validHeader, validPayload, validSignature] = server.validToken.split(".") as [
    string,
    string,
    string,
  ];
  const validClaims = JSON.parse(Buffer.from(validPayload, "base64url").toString()) as Record<
    string,
    unknown
  >;
  const serverSigns = rsaPkcs1(server.privateKey);
  const attackerSigns = rsaPkcs1(attacker.rsa.privateKey);
  const attackerJwk = attacker.rsa.publicKey.export({ format: "jwk" });

  // alg none in every spelling, with and without a signature, with and without the server's kid.
  for (const alg of ["none", "None", "NONE", "nOnE", "", " none", "none "]) {
    for (const kid of [undefined, server.kid]) {
      const header = json({ alg, typ: "JWT", ...(kid ? { kid } : {}) });
      const label = `alg ${JSON.stringify(alg)}${kid ? " with the server's kid" : ""}`;
      add(`${label}, empty signature`, compact(header, claims));
      add(`${label}, two segments`, compact(header, claims).slice(0, -1));
      add(`${label}, the valid token's signature`, `${compact(header, claims)}${validSignature}`);
      add(`${label}, junk signature`, `${compact(header, claims)}AAAA`);
    }
  }
  add("no alg at all", compact(json({ typ: "JWT" }), claims, serverSigns));
  add("alg null", compact(json({ alg: null }), claims));
  add("alg as a list", compact(json({ alg: ["RS512"] }), claims, serverSigns));

  // HS256/384/512 keyed with every form of the server's public key.
  for (const alg of ["HS256", "HS384", "HS512"] as const) {
    for (const { form, secret } of publicKeyForms(server.publicKey)) {
      add(
        `${alg} keyed with ${form}`,
        compact(json({ alg, typ: "JWT" }), claims, hmac(alg, secret)),
      );
      add(
        `${alg} keyed with ${form}, server's kid`,
        compact(json({ alg, typ: "JWT", kid: server.kid }), claims, hmac(alg, secret)),
      );
    }
  }

  // Other algorithms with the server's own key: only the configured one may pass.
  for (const [alg, signer] of [
    ["RS256", rsaPkcs1(server.privateKey, "sha256")],
    ["RS384", rsaPkcs1(server.privateKey, "sha384")],
    ["PS512", rsaPss(server.privateKey, "sha512")],
    ["PS256", rsaPss(server.privateKey, "sha256")],
  ] as const) {
    add(
      `${alg} signed with the server's key`,
      compact(json({ alg, kid: server.kid }), claims, signer),
    );
  }

  // kid injection, all signed with the attacker's key.
  const kids: Array<[string, unknown]> = [
    ["path traversal", "../../../../../../dev/null"],
    ["path traversal to the key file", "../keys/rsa-signing-key.pem"],
    ["absolute path", "/etc/passwd"],
    ["SQL-ish", "' OR '1'='1"],
    ["SQL union", "x' UNION SELECT 'key' --"],
    ["shell", "$(touch /tmp/pwned)"],
    ["unknown", "no-such-kid"],
    ["empty", ""],
    ["number", 1],
    ["object", { $ne: null }],
    ["null", null],
    ["the server's kid", server.kid],
    ["the server's kid, padded", ` ${server.kid}`],
    ["huge", "k".repeat(20_000)],
  ];
  for (const [label, kid] of kids) {
    add(
      `RS512 by the attacker, kid ${label}`,
      compact(json({ alg: "RS512", kid }), claims, attackerSigns),
    );
    add(
      `HS256 with an empty key, kid ${label}`,
      compact(json({ alg: "HS256", kid }), claims, hmac("HS256", "")),
    );
  }

  // Header injection of the attacker's key or where to fetch it.
  const attackerDer = attacker.rsa.publicKey
    .export({ type: "spki", format: "der" })
    .toString("base64");
  for (const [label, extra] of [
    ["jwk", { jwk: attackerJwk }],
    ["jwk with the server's kid", { jwk: { ...attackerJwk, kid: server.kid }, kid: server.kid }],
    ["jku", { jku: "http://127.0.0.1:1/.well-known/jwks.json" }],
    ["jku with the server's kid", { jku: "http://127.0.0.1:1/jwks.json", kid: server.kid }],
    ["x5u", { x5u: "http://127.0.0.1:1/cert.pem" }],
    ["x5c", { x5c: [attackerDer] }],
    ["x5c with the server's kid", { x5c: [attackerDer], kid: server.kid }],
  ] as const) {
    add(
      `${label} header injection`,
      compact(json({ alg: "RS512", ...extra }), claims, attackerSigns),
    );
  }

  // Wrong typ, made by the attacker (typ is not checked on the server's own tokens: see SECURITY.md).
  for (const typ of ["at+jwt", "JWE", "refresh", ""]) {
    add(
      `typ ${JSON.stringify(typ)}, attacker-signed with the server's kid`,
      compact(json({ alg: "RS512", typ, kid: server.kid }), claims, attackerSigns),
    );
    add(`typ ${JSON.stringify(typ)}, alg none`, compact(json({ alg: "none", typ }), claims));
  }

  // Signatures of other keys.
  add(
    "RS512 by another RSA key",
    compact(json({ alg: "RS512", typ: "JWT" }), claims, attackerSigns),
  );
  add(
    "ES256 by another key, server's kid",
    compact(json({ alg: "ES256", kid: server.kid }), claims, ecdsaP256(attacker.ec.privateKey)),
  );
  add(
    "EdDSA by another key",
    compact(json({ alg: "EdDSA" }), claims, ed25519(attacker.ed.privateKey)),
  );

  // Tampering with a real token.
  const tamperedClaims = structuredClone(validClaims) as {
    sub: { roles: string[]; username: string };
    exp: number;
  };
  tamperedClaims.sub.roles = [...tamperedClaims.sub.roles, "admin", "role2"];
  add(
    "payload tampered (roles), original signature",
    `${validHeader}.${b64url(json(tamperedClaims))}.${validSignature}`,
  );
  add(
    "payload tampered (exp), original signature",
    `${validHeader}.${b64url(json({ ...validClaims, exp: 4_102_444_800 }))}.${validSignature}`,
  );
  add("payload re-encoded with padding", `${validHeader}.${validPayload}==.${validSignature}`);
  const header = JSON.parse(Buffer.from(validHeader, "base64url").toString()) as Record<
    string,
    unknown
  >;
  add(
    "header tampered (alg RS256)",
    `${b64url(json({ ...header, alg: "RS256" }))}.${validPayload}.${validSignature}`,
  );
  add(
    "header tampered (extra member)",
    `${b64url(json({ ...header, x: 1 }))}.${validPayload}.${validSignature}`,
  );
  add(
    "header tampered (alg none)",
    `${b64url(json({ ...header, alg: "none" }))}.${validPayload}.${validSignature}`,
  );
  add("signature of another token", `${validHeader}.${b64url(claims)}.${validSignature}`);
  add("signature flipped", `${validHeader}.${validPayload}.${flipFirstChar(validSignature)}`);

  // Truncated, extra and empty segments.
  add("signature removed", `${validHeader}.${validPayload}.`);
  add("signature cut short", `${validHeader}.${validPayload}.${validSignature.slice(0, -4)}`);
  add("two segments", `${validHeader}.${validPayload}`);
  add("one segment", validHeader);
  add("four segments", `${server.validToken}.${validSignature}`);
  add("trailing dot", `${server.validToken}.`);
  add("five segments (JWE shape)", `${validHeader}..${validPayload}.${validSignature}.AAAA`);
  add("leading dot", `.${server.validToken}`);
  add("empty header", `.${validPayload}.${validSignature}`);
  add("empty payload", `${validHeader}..${validSignature}`);
  add("all segments empty", "..");
  add("a single dot", ".");
  add("whitespace inside", `${validHeader}. ${validPayload}.${validSignature}`);
  add("not base64url", `${validHeader}.${validPayload}!.${validSignature}`);
  add("Bearer prefix twice", `Bearer ${server.validToken}`);

  // Huge tokens.
  add("1 MB token", `${validHeader}.${"A".repeat(1024 * 1024)}.${validSignature}`);
  add(
    "1 MB header, attacker-signed",
    compact(json({ alg: "RS512", pad: "x".repeat(1024 * 1024) }), claims, attackerSigns),
  );

  // Duplicate header keys (parsers disagree on which one wins).
  add("alg twice, none last", compact(`{"alg":"RS512","alg":"none"}`, claims));
  add("alg twice, RS512 last, unsigned", compact(`{"alg":"none","alg":"RS512"}`, claims));
  add(
    "alg twice, HS256 first, keyed with the PEM",
    compact(
      `{"alg":"HS256","typ":"JWT","alg":"RS512"}`,
      claims,
      hmac("HS256", publicKeyPem(server.publicKey)),
    ),
  );
  add(
    "alg twice, HS256 last, keyed with the PEM",
    compact(`{"alg":"RS512","alg":"HS256"}`, claims, hmac("HS256", publicKeyPem(server.publicKey))),
  );
  add(
    "kid twice, attacker-signed",
    compact(`{"alg":"RS512","kid":"${server.kid}","kid":"x"}`, claims, attackerSigns),
  );

  // Signed with the server's real key, and still not a token to accept.
  const signed = (label: string, headerJson: string, payloadJson: string) =>
    add(`server-signed: ${label}`, compact(headerJson, payloadJson, serverSigns));
  const serverHeader = json({ alg: "RS512", typ: "JWT", kid: server.kid });
  const now = Math.floor(Date.now() / 1000);
  signed("expired", serverHeader, json({ ...validClaims, iat: now - 7200, exp: now - 3600 }));
  signed("expired a second ago", serverHeader, json({ ...validClaims, exp: now - 1 }));
  signed("without exp", serverHeader, json({ ...validClaims, exp: undefined }));
  signed("not before 2100", serverHeader, json({ ...validClaims, nbf: 4_102_444_800 }));
  signed("another issuer", serverHeader, json({ ...validClaims, iss: "https://attacker.example" }));
  signed("without iss", serverHeader, json({ ...validClaims, iss: undefined }));
  signed("issued in 2100", serverHeader, json({ ...validClaims, iat: 4_102_444_800 }));
  signed("exp as a string", serverHeader, json({ ...validClaims, exp: String(now + 3600) }));
  signed(
    "crit with an unknown extension",
    json({ alg: "RS512", kid: server.kid, crit: ["x-unknown"], "x-unknown": true }),
    json(validClaims),
  );
  signed(
    "crit naming a standard member",
    json({ alg: "RS512", kid: server.kid, crit: ["kid"] }),
    json(validClaims),
  );
  signed("crit empty", json({ alg: "RS512", kid: server.kid, crit: [] }), json(validClaims));
  signed(
    "wrong typ (JWE)",
    json({ alg: "RS512", kid: server.kid, typ: "JWE", crit: ["typ"] }),
    json(validClaims),
  );
  add(
    "server-signed: b64 false over the raw payload",
    (() => {
      const h = b64url(json({ alg: "RS512", kid: server.kid, b64: false, crit: ["b64"] }));
      const raw = json(validClaims);
      return `${h}.${raw}.${b64url(serverSigns(`${h}.${raw}`))}`;
    })(),
  );
  signed(
    "b64 false with an encoded payload",
    json({ alg: "RS512", kid: server.kid, b64: false, crit: ["b64"] }),
    json(validClaims),
  );
  signed("header not JSON", "alg=RS512", json(validClaims));
  signed("header a JSON array", json(["RS512"]), json(validClaims));
  signed("payload not JSON", serverHeader, "sub=admin");
  signed("payload a JSON array", serverHeader, json([validClaims]));
  signed("payload a JSON string", serverHeader, json("admin"));
  signed("payload a JSON number", serverHeader, json(42));
  signed("payload null", serverHeader, "null");
  signed("payload empty", serverHeader, "");
  for (const [label, sub] of [
    ["sub a string", "admin"],
    ["sub a number", 1],
    ["sub null", null],
    ["sub a list", [validClaims.sub]],
    ["sub without roles", { id: 1, username: "admin" }],
    ["sub roles a string", { ...(validClaims.sub as object), roles: "admin" }],
    ["sub username empty", { ...(validClaims.sub as object), username: "" }],
    ["sub id a string", { ...(validClaims.sub as object), id: "1" }],
  ] as const) {
    signed(label, serverHeader, json({ ...validClaims, sub }));
  }
  signed(
    "a refresh token (no user)",
    serverHeader,
    json({
      iat: now,
      exp: now + 3600,
      type: "refresh",
      identity: { username: "admin", authType: "database" },
    }),
  );
  return list;
}

function publicKeyPem(publicKey: KeyObject): string {
  return publicKey.export({ type: "spki", format: "pem" }).toString();
}

function flipFirstChar(segment: string): string {
  return (segment[0] === "A" ? "B" : "A") + segment.slice(1);
}

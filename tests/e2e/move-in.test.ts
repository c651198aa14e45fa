// Moving a tokenleader 1.x deployment (issue 16), with real processes: the server signs with the
// 1.x key pair (a PKCS#1 `id_rsa`, as `ssh-keygen -m PEM` made it), `adminops import
// tokenleader1` takes the 1.x SQLite database, the users log in with their old passwords, and
// the token verifies with the matching `ssh-rsa` line the way deployed Python clients verify it
// (PyJWT 1.7 loads an `ssh-rsa` key with cryptography's load_ssh_public_key, then checks RS512)
// and through this project's client.
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  formatOpenSshPublicKey,
  staticKeySource,
  VERIFY_STATUS,
  verifyToken,
} from "@tokenleader/client";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  itWhenPythonCryptographyInstalled,
  runPython,
} from "../../packages/client/src/credentials/python-cryptography.test-helpers.js";
import { writeSqliteDatabase } from "../../packages/server/test/import/import-helpers.js";
import { tokenleader18Statements } from "../../packages/server/test/import/tokenleader1-fixtures.js";
import { startTokenleaderServer, type TokenleaderServer } from "./support/server-process.js";

let dir: string;
let server: TokenleaderServer;
let sshRsaLine: string;
let token: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tl-e2e-move-in-"));
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pkcs1 = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  expect(pkcs1).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
  sshRsaLine = formatOpenSshPublicKey(publicKey as KeyObject, "tokenleader@1.x-host");
  await writeFile(join(dir, "id_rsa"), pkcs1, { mode: 0o600 });
  await writeFile(join(dir, "id_rsa.pub"), `${sshRsaLine}\n`);
  const authDb = join(dir, "auth.db");
  writeSqliteDatabase(authDb, tokenleader18Statements());

  server = await startTokenleaderServer({
    ini: {
      token: [
        `private_key_file_location = ${join(dir, "id_rsa")}`,
        `public_key_file_location = ${join(dir, "id_rsa.pub")}`,
      ],
    },
  });
  const imported = await server.adminops([
    "import",
    "tokenleader1",
    "--from",
    `sqlite:///${authDb}`,
  ]);
  expect(imported.stderr).toBe("");
  expect(imported.code).toBe(0);
  expect(imported.stdout).toMatch(/users\s+3\s+0\s+0\s+2\n/);
  token = await server.getToken("user1", "user1");
}, 90_000);

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

it("signs RS512 with the 1.x id_rsa; the ssh-rsa line verifies it in this project's client", async () => {
  expect(decodeProtectedHeader(token).alg).toBe("RS512");
  const result = await verifyToken(token, staticKeySource(sshRsaLine), { algorithms: ["RS512"] });
  expect(result.status).toBe(VERIFY_STATUS.success);
  expect(result.payload).toMatchObject({
    sub: {
      username: "user1",
      roles: ["role1"],
      wfc: { name: "wfc1", org: "org1", orgunit: "ou1", department: "dept1" },
    },
  });
  const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
  const other = await verifyToken(token, staticKeySource(formatOpenSshPublicKey(otherKey, "x")));
  expect(other.status).toBe(VERIFY_STATUS.invalid);
});

// What tokenleaderclient 1.x does with tl_public_key: PyJWT 1.7's RSAAlgorithm.prepare_key loads
// an "ssh-rsa" key with load_ssh_public_key and verifies PKCS#1 v1.5 / SHA-512, then checks exp, nbf and that no aud is present.
const PYJWT_STYLE_VERIFY = `
import base64, json, sys, time
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import load_ssh_public_key
key_line, token = sys.stdin.read().split("\\n")[:2]
key = load_ssh_public_key(key_line.encode())
b64 = lambda s: base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
header, payload, signature = token.split(".")
key.verify(b64(signature), (header + "." + payload).encode(), padding.PKCS1v15(), hashes.SHA512())
claims = json.loads(b64(payload))
assert isinstance(claims["exp"], int) and claims["exp"] > time.time(), "Signature expired"
assert claims.get("nbf", 0) <= time.time(), "The token is not yet valid (nbf)"
assert "aud" not in claims, "PyJWT 1.7 refuses an aud claim when the caller names no audience"
print(json.dumps({"alg": json.loads(b64(header))["alg"], "sub": claims["sub"]}))
`;

itWhenPythonCryptographyInstalled(
  "a Python client verifies the token with the ssh-rsa line as PyJWT 1.7 does",
  () => {
    const out = JSON.parse(runPython(PYJWT_STYLE_VERIFY, `${sshRsaLine}\n${token}\n`));
    expect(out).toMatchObject({
      alg: "RS512",
      sub: { username: "user1", email: "user1", roles: ["role1"], wfc: { name: "wfc1" } },
    });
    const [header, payload, signature] = token.split(".");
    const tampered = JSON.parse(Buffer.from(payload!, "base64url").toString());
    tampered.sub.roles = ["admin"];
    const forged = `${header}.${Buffer.from(JSON.stringify(tampered)).toString("base64url")}.${signature}`;
    expect(() => runPython(PYJWT_STYLE_VERIFY, `${sshRsaLine}\n${forged}\n`)).toThrow(
      /InvalidSignature/,
    );
  },
);

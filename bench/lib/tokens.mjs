// Tokens in tokenleader's layout for the enforcer scenarios, signed RS512 with a throw-away key:
// the enforcer and the alternatives verify them with its PEM public key (no token server needed).
import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";

export const BENCH_ISSUER = "https://tokenleader.bench.invalid";

export const BENCH_ACL = "- name: bench-reader\n  allow:\n  - bench.read\n";

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Writes public.pem, acl.yml, tokens-1.txt (one token) and tokens-<count>.txt into `dir`. */
export async function writeBenchTokens(dir, count) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const header = b64url({ alg: "RS512", typ: "JWT" });
  const now = Math.floor(Date.now() / 1000);
  const tokens = [];
  for (let i = 0; i < count; i++) {
    const payload = b64url({
      sub: {
        id: i + 1,
        username: `user${i + 1}`,
        email: null,
        roles: ["bench-reader"],
        wfc: { id: 1, name: "wfc1", org: "org1", orgunit: "ou1", department: "dept1" },
      },
      iss: BENCH_ISSUER,
      iat: now,
      exp: now + 3600,
      jti: randomUUID(),
    });
    const input = `${header}.${payload}`;
    tokens.push(`${input}.${sign("sha512", Buffer.from(input), privateKey).toString("base64url")}`);
  }
  const files = {
    publicKey: path.join(dir, "public.pem"),
    acl: path.join(dir, "acl.yml"),
    oneToken: path.join(dir, "tokens-1.txt"),
    manyTokens: path.join(dir, `tokens-${count}.txt`),
  };
  await writeFile(files.publicKey, publicKey.export({ type: "spki", format: "pem" }));
  await writeFile(files.acl, BENCH_ACL);
  await writeFile(files.oneToken, `${tokens[0]}\n`);
  await writeFile(files.manyTokens, `${tokens.join("\n")}\n`);
  return files;
}

import { execFileSync } from "node:child_process";
import { createPublicKey, generateKeyPairSync } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatOpenSshPublicKey } from "@tokenleader/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DEVELOPER_SSH_RSA_PUBLIC_KEY } from "../../test/helpers/reference-vectors.js";
import { sshKeygenRsa } from "../../test/helpers/ssh-keygen.js";
import { createVerificationKey, KeyError, loadKeySet } from "./index.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tl-keys-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function keyError(promise: Promise<unknown>): Promise<KeyError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeyError);
  return error as KeyError;
}

describe("generated key pair in the data directory", () => {
  it("generates an RSA key (0600, OpenSSH public key beside it) on first start and reuses it", async () => {
    const first = await loadKeySet({
      privateKeyFile: null,
      publicKeyFile: null,
      algorithm: "RS512",
      dataDir: dir,
    });
    expect(first.generated).not.toBeNull();
    const { privateKeyFile, publicKeyFile } = first.generated!;
    expect((await stat(privateKeyFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(privateKeyFile, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const line = await readFile(publicKeyFile, "utf8");
    expect(line).toMatch(/^ssh-rsa AAAA\S+ tokenleader-signing-key\n$/);
    // ssh-keygen reads the line we wrote and agrees it is the public key of the private key.
    const fromSshKeygen = execFileSync("ssh-keygen", ["-y", "-f", privateKeyFile]).toString();
    expect(fromSshKeygen.trim().split(" ")[1]).toBe(line.split(" ")[1]);
    // [token] rsa_key_bits defaults to 2048.
    expect(first.keySet.signingKey.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);

    const second = await loadKeySet({
      privateKeyFile: null,
      publicKeyFile: null,
      algorithm: "RS512",
      dataDir: dir,
    });
    expect(second.generated).toBeNull();
    expect(second.keySet.signingKey.kid).toBe(first.keySet.signingKey.kid);
    // PS512 uses the same RSA key file.
    const pss = await loadKeySet({
      privateKeyFile: null,
      publicKeyFile: null,
      algorithm: "PS512",
      dataDir: dir,
    });
    expect(pss.keySet.signingKey.kid).toBe(first.keySet.signingKey.kid);
    expect(pss.keySet.jwks().keys[0]).toMatchObject({ alg: "PS512", use: "sig", kty: "RSA" });
  });

  it("generates an RSA key of [token] rsa_key_bits", async () => {
    const loaded = await loadKeySet({
      privateKeyFile: null,
      publicKeyFile: null,
      algorithm: "RS512",
      dataDir: dir,
      rsaKeyBits: 3072,
    });
    expect(loaded.generated).not.toBeNull();
    expect(loaded.keySet.signingKey.publicKey.asymmetricKeyDetails?.modulusLength).toBe(3072);
  });

  it.each([
    ["ES256", "ec", "EC"],
    ["EdDSA", "ed25519", "OKP"],
  ] as const)("generates a %s key of the right type", async (algorithm, nodeType, kty) => {
    const { keySet, generated } = await loadKeySet({
      privateKeyFile: null,
      publicKeyFile: null,
      algorithm,
      dataDir: dir,
    });
    expect(keySet.signingKey.privateKey.asymmetricKeyType).toBe(nodeType);
    expect(keySet.jwks().keys).toEqual([
      expect.objectContaining({ kty, alg: algorithm, kid: keySet.signingKey.kid }),
    ]);
    expect((await stat(generated!.privateKeyFile)).mode & 0o777).toBe(0o600);
  });
});

describe("configured key files", () => {
  it("loads a PKCS#1 PEM private key with its OpenSSH public key (ssh-keygen -m PEM)", async () => {
    const file = join(dir, "id_rsa");
    sshKeygenRsa(file);
    expect(await readFile(file, "utf8")).toMatch(/BEGIN RSA PRIVATE KEY/);
    const { keySet, generated } = await loadKeySet({
      privateKeyFile: file,
      publicKeyFile: `${file}.pub`,
      algorithm: "RS512",
      dataDir: dir,
    });
    expect(generated).toBeNull();
    expect(keySet.signingKey.source).toBe(file);
    expect(keySet.signingKey.jwk).not.toHaveProperty("d");
  });

  it("loads a PKCS#8 private key with a PEM public key, and derives the public key when none is set", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const priv = join(dir, "key.pem");
    const pub = join(dir, "key.pub.pem");
    await writeFile(priv, privateKey.export({ type: "pkcs8", format: "pem" }));
    await writeFile(pub, publicKey.export({ type: "spki", format: "pem" }));
    const withPub = await loadKeySet({
      privateKeyFile: priv,
      publicKeyFile: pub,
      algorithm: "RS512",
      dataDir: dir,
    });
    const derived = await loadKeySet({
      privateKeyFile: priv,
      publicKeyFile: null,
      algorithm: "RS512",
      dataDir: dir,
    });
    expect(withPub.keySet.signingKey.kid).toBe(derived.keySet.signingKey.kid);
  });

  it("loads ES256 and EdDSA keys with OpenSSH public keys", async () => {
    for (const [algorithm, pair] of [
      ["ES256", generateKeyPairSync("ec", { namedCurve: "prime256v1" })],
      ["EdDSA", generateKeyPairSync("ed25519")],
    ] as const) {
      const priv = join(dir, `${algorithm}.pem`);
      const pub = join(dir, `${algorithm}.pub`);
      await writeFile(priv, pair.privateKey.export({ type: "pkcs8", format: "pem" }));
      await writeFile(pub, formatOpenSshPublicKey(pair.publicKey, "x"));
      const { keySet } = await loadKeySet({
        privateKeyFile: priv,
        publicKeyFile: pub,
        algorithm,
        dataDir: dir,
      });
      expect(keySet.signingKey.algorithm).toBe(algorithm);
      // ssh-keygen agrees with our OpenSSH encoding.
      const fingerprint = execFileSync("ssh-keygen", ["-l", "-f", pub]).toString();
      expect(fingerprint).toMatch(algorithm === "ES256" ? /\(ECDSA\)/ : /\(ED25519\)/);
    }
  });

  it("refuses a public key that does not belong to the private key, naming both files", async () => {
    const a = join(dir, "a");
    const b = join(dir, "b");
    sshKeygenRsa(a);
    sshKeygenRsa(b);
    const error = await keyError(
      loadKeySet({
        privateKeyFile: a,
        publicKeyFile: `${b}.pub`,
        algorithm: "RS512",
        dataDir: dir,
      }),
    );
    expect(error.code).toBe("KEY_PAIR_MISMATCH");
    expect(error.message).toContain(`${b}.pub`);
    expect(error.message).toContain(`ssh-keygen -y -f ${a}`);
    expect(error.message).not.toContain("\n");
  });

  it("refuses a missing private key file with the file name and the ssh-keygen fix", async () => {
    const missing = join(dir, "nope", "id_rsa");
    const error = await keyError(
      loadKeySet({
        privateKeyFile: missing,
        publicKeyFile: null,
        algorithm: "RS512",
        dataDir: dir,
      }),
    );
    expect(error.code).toBe("KEY_FILE_UNREADABLE");
    expect(error.message).toContain(missing);
    expect(error.message).toContain("does not exist");
    expect(error.message).toContain("ssh-keygen -m PEM -t rsa -b 4096");
  });

  it("refuses a private key path that cannot be read as a file", async () => {
    // A directory is unreadable as a file for every user, root included.
    const error = await keyError(
      loadKeySet({ privateKeyFile: dir, publicKeyFile: null, algorithm: "RS512", dataDir: dir }),
    );
    expect(error.code).toBe("KEY_FILE_UNREADABLE");
    expect(error.message).toContain(`${dir} is a directory`);
  });

  it.each([
    ["garbage", "hello, I am not a key\n", "not a PEM private key"],
    [
      "an OpenSSH-format private key",
      "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
      "OpenSSH private-key format",
    ],
    [
      "a passphrase-protected key",
      "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END RSA PRIVATE KEY-----\n",
      "passphrase",
    ],
  ])(
    "refuses %s as private key with one line naming the file and the fix",
    async (_what, content, why) => {
      const file = join(dir, "bad_key");
      await writeFile(file, content);
      const error = await keyError(
        loadKeySet({ privateKeyFile: file, publicKeyFile: null, algorithm: "RS512", dataDir: dir }),
      );
      expect(error.code).toBe("KEY_FILE_MALFORMED");
      expect(error.message).toContain(file);
      expect(error.message).toContain(why);
      expect(error.message).toContain("ssh-keygen");
      expect(error.message).not.toContain("\n");
    },
  );

  it("refuses a malformed public key file", async () => {
    const file = join(dir, "id_rsa");
    sshKeygenRsa(file);
    await writeFile(`${file}.pub`, "ssh-rsa !!!notbase64 me@host\n");
    const error = await keyError(
      loadKeySet({
        privateKeyFile: file,
        publicKeyFile: `${file}.pub`,
        algorithm: "RS512",
        dataDir: dir,
      }),
    );
    expect(error.code).toBe("KEY_FILE_MALFORMED");
    expect(error.message).toContain(`${file}.pub`);
  });

  it("refuses a key of the wrong type for the algorithm and a too-short RSA key", async () => {
    const ec = join(dir, "ec.pem");
    await writeFile(
      ec,
      generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({
        type: "pkcs8",
        format: "pem",
      }),
    );
    const wrongType = await keyError(
      loadKeySet({ privateKeyFile: ec, publicKeyFile: null, algorithm: "RS512", dataDir: dir }),
    );
    expect(wrongType.code).toBe("KEY_WRONG_TYPE");
    expect(wrongType.message).toContain("RS512 needs an RSA key");

    const weak = join(dir, "weak.pem");
    await writeFile(
      weak,
      generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({
        type: "pkcs1",
        format: "pem",
      }),
    );
    const tooWeak = await keyError(
      loadKeySet({ privateKeyFile: weak, publicKeyFile: null, algorithm: "RS512", dataDir: dir }),
    );
    expect(tooWeak.code).toBe("KEY_TOO_WEAK");
    expect(tooWeak.message).toContain("1024 bits");
  });

  it("refuses a public key without a private key", async () => {
    const pub = join(dir, "only.pub");
    await writeFile(pub, DEVELOPER_SSH_RSA_PUBLIC_KEY);
    const error = await keyError(
      loadKeySet({ privateKeyFile: null, publicKeyFile: pub, algorithm: "RS512", dataDir: dir }),
    );
    expect(error.code).toBe("KEY_CONFIG_INCOMPLETE");
  });
});

describe("retired keys and kid", () => {
  it("publishes public keys from <data dir>/keys/previous/ beside the signing key", async () => {
    await mkdir(join(dir, "keys", "previous"), { recursive: true });
    await writeFile(join(dir, "keys", "previous", "developer.pub"), DEVELOPER_SSH_RSA_PUBLIC_KEY);
    const { keySet } = await loadKeySet({
      privateKeyFile: null,
      publicKeyFile: null,
      algorithm: "ES256",
      dataDir: dir,
    });
    const jwks = keySet.jwks().keys;
    expect(jwks.map((k) => k.alg)).toEqual(["ES256", "RS512"]);
    expect(keySet.findByKid(jwks[1]!.kid!)?.source).toContain("developer.pub");
  });

  it("kid is the RFC 7638 thumbprint (the RFC's own example)", async () => {
    // RFC 7638 §3.1: this key's SHA-256 thumbprint is NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs.
    const jwk = {
      kty: "RSA",
      n: "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw",
      e: "AQAB",
    } as const;
    const key = await createVerificationKey(
      createPublicKey({ key: jwk, format: "jwk" }),
      "RS512",
      "rfc",
    );
    expect(key.kid).toBe("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
  });
});

import { execFileSync } from "node:child_process";
import { createPrivateKey, createPublicKey, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { sshKeygenRsa } from "../../test/helpers/ssh-keygen.js";
import { describeEachProvider } from "../../test/helpers/test-databases.js";
import { KeyError, type KeySettings, listSigningKeys, loadDatabaseKeySet } from "./index.js";

// The deployment's signing keys in the database (issue 13): one key for every instance, the
// private half sealed under the key-encryption key, an existing key file imported first.

const kek = (key = randomBytes(32)) => ({ key, source: "test", setting: "TEST_KEK" });

describeEachProvider("signing keys in the database", (ctx) => {
  let dirs: string[] = [];
  const dataDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "tl-dbkeys-"));
    dirs.push(dir);
    return dir;
  };
  const settings = async (overrides: Partial<KeySettings> = {}): Promise<KeySettings> => ({
    privateKeyFile: null,
    publicKeyFile: null,
    algorithm: "ES256",
    dataDir: await dataDir(),
    ...overrides,
  });
  beforeEach(() => {
    dirs = [];
  });
  afterEach(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("instances with separate data directories starting together end with ONE key", async () => {
    const { db } = await ctx.createDatabase();
    const shared = kek();
    const [a, b, c] = await Promise.all([
      loadDatabaseKeySet(db, await settings(), shared),
      loadDatabaseKeySet(db, await settings(), shared),
      loadDatabaseKeySet(db, await settings(), shared),
    ]);
    expect(await listSigningKeys(db)).toHaveLength(1);
    expect(b.keySet.signingKey.kid).toBe(a.keySet.signingKey.kid);
    expect(c.keySet.signingKey.kid).toBe(a.keySet.signingKey.kid);
    expect(b.keySet.jwks()).toEqual(a.keySet.jwks());
    expect([a, b, c].filter((loaded) => loaded.stored !== null)).toHaveLength(1);
    // A new key lives only in the database: nothing written to any data directory.
    for (const dir of dirs) expect(await readdir(dir)).toEqual([]);
  });

  it("imports an existing PKCS#1 key file (ssh-keygen -m PEM) as the first key, sealed", async () => {
    const { db } = await ctx.createDatabase();
    const dir = await dataDir();
    const file = join(dir, "id_rsa");
    sshKeygenRsa(file);
    const pem = await readFile(file, "utf8");
    expect(pem).toMatch(/BEGIN RSA PRIVATE KEY/);

    const loaded = await loadDatabaseKeySet(
      db,
      await settings({ privateKeyFile: file, publicKeyFile: `${file}.pub`, algorithm: "RS512" }),
      kek(),
    );
    expect(loaded.stored?.origin).toContain(file);
    const fromFile = createPublicKey(createPrivateKey(pem));
    expect(loaded.keySet.signingKey.publicKey.equals(fromFile)).toBe(true);
    expect(loaded.keySet.jwks().keys[0]).toMatchObject({
      n: fromFile.export({ format: "jwk" }).n,
      alg: "RS512",
    });

    const [row] = await listSigningKeys(db);
    expect(row?.publicKeyPem).toBe(fromFile.export({ format: "pem", type: "spki" }).toString());
    // The private half is not in the row in clear, in any encoding of the key file.
    const body = pem.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "");
    const pkcs8 = createPrivateKey(pem).export({ format: "der", type: "pkcs8" }).toString("base64");
    expect(row?.privateKeyEncrypted).not.toContain("PRIVATE KEY");
    expect(row?.privateKeyEncrypted).not.toContain(body.slice(40, 100));
    expect(row?.privateKeyEncrypted).not.toContain(pkcs8.slice(40, 100));
  });

  it("imports the key pair an earlier version generated in the data directory", async () => {
    const { db } = await ctx.createDatabase();
    const first = await settings();
    const ec = execFileSync("openssl", [
      "genpkey",
      "-algorithm",
      "EC",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
    ]).toString();
    await mkdir(join(first.dataDir, "keys"), { recursive: true });
    await writeFile(join(first.dataDir, "keys", "ec-p256-signing-key.pem"), ec, { mode: 0o600 });
    const loaded = await loadDatabaseKeySet(db, first, kek());
    expect(loaded.keySet.signingKey.publicKey.equals(createPublicKey(ec))).toBe(true);
  });

  it("a wrong key-encryption key refuses with one line naming the setting", async () => {
    const { db } = await ctx.createDatabase();
    await loadDatabaseKeySet(db, await settings(), kek());
    const error = await loadDatabaseKeySet(db, await settings(), kek()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KeyError);
    expect((error as KeyError).code).toBe("KEY_ENCRYPTION_KEY_WRONG");
    expect((error as KeyError).message).toMatch(/another key-encryption key.*set TEST_KEK/);
    expect((error as KeyError).message).not.toContain("\n");
  });

  it("an instance configured with another algorithm refuses, naming the deployment's", async () => {
    const { db } = await ctx.createDatabase();
    const shared = kek();
    await loadDatabaseKeySet(db, await settings({ algorithm: "ES256" }), shared);
    const error = await loadDatabaseKeySet(
      db,
      await settings({ algorithm: "EdDSA" }),
      shared,
    ).catch((e: unknown) => e);
    expect((error as KeyError).code).toBe("KEY_ALGORITHM_MISMATCH");
    expect((error as KeyError).message).toContain("set algorithm = ES256");
  });
});

import { generateKeyPairSync, randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import { loadSettings, type Settings } from "../../src/config/index.js";
import type { Database } from "../../src/db/index.js";
import { buildServer, type ServerDeps, type ServerPlugin } from "../../src/http/index.js";
import {
  createKeyRing,
  createKeySetRefresher,
  fixedKeySetSource,
  generatedKeyFiles,
  type KeySet,
  type KeySetSource,
  loadDatabaseKeySet,
  loadKeySet,
} from "../../src/keys/index.js";
import {
  type AdminService,
  createAdminService,
  createSigningKeyService,
} from "../../src/services/index.js";
import { SessionStore, sessionRevocationHooks } from "../../src/sessions/index.js";

// A real server app (real settings file, real keys, real database, real services) for
// app.inject() tests. Only the settings values differ from production.

export interface TestServerOptions {
  db: Database;
  /** INI values per section, e.g. { token: { algorithm: "ES256" } }; override the test defaults. */
  ini?: Record<string, Record<string, string>>;
  /** Runs before the keys are loaded (e.g. to place files in <dataDir>/keys/previous/). */
  prepareDataDir?: (dataDir: string) => Promise<void>;
  plugins?: ServerPlugin[];
  /** A pino logger for the app (default: none). */
  logger?: FastifyBaseLogger;
  now?: () => number;
  /** Let the server generate its RSA key (slow: ~1-3 s); by default a cached key is placed. */
  generateKey?: boolean;
  /**
   * The guessing policy: "off" (default, so tests can fail password checks freely: both bounds
   * 0) or "settings": as configured (production defaults unless `ini` sets [login] values).
   */
  guessing?: "off" | "settings";
  /**
   * Keys as tokenleader-server keeps them: in the database, sealed under a (random) key-encryption
   * key, read through a KeyRing, with key rotation through the admin API. Default: key files.
   */
  databaseKeys?: boolean;
}

export interface TestServer {
  app: FastifyInstance;
  settings: Settings;
  /** The key set at start (with databaseKeys, `keys.current()` is the one in force now). */
  keySet: KeySet;
  keys: KeySetSource;
  adminService: AdminService;
  /** The app's session store (the one its admin service revokes through). */
  sessions: SessionStore;
  dataDir: string;
  close(): Promise<void>;
}

/** The [login] values for a test server's guessing policy ("off" unless a test asks for it). */
export function guessingIni(guessing: "off" | "settings" = "off"): Record<string, string> {
  return guessing === "off" ? { max_failures_per_account: "0", max_failures_per_source: "0" } : {};
}

export async function createTestServer(options: TestServerOptions): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "tl-server-"));
  const sections: Record<string, Record<string, string>> = {
    server: { data_dir: dataDir, body_limit: "16kb", log_level: "silent" },
    db: { url: options.db.url },
    login: guessingIni(options.guessing),
  };
  for (const [section, values] of Object.entries(options.ini ?? {})) {
    sections[section] = { ...sections[section], ...values };
  }
  const text = Object.entries(sections)
    .map(
      ([section, values]) =>
        `[${section}]\n${Object.entries(values)
          .map(([key, value]) => `\t${key} = ${value}`)
          .join("\n")}\n`,
    )
    .join("\n");
  const configPath = join(dataDir, "tokenleader_settings.ini");
  await writeFile(configPath, text);
  const settings = loadSettings({ configPath, env: {}, cwd: dataDir });
  if (!options.generateKey && settings.token.privateKeyFile === null) {
    await placeCachedRsaKey(dataDir, settings.token.algorithm);
  }
  await options.prepareDataDir?.(dataDir);
  const keySettings = { ...settings.token, dataDir };
  let keySet: KeySet;
  let keys: KeySetSource;
  let databaseKeys: Pick<ServerDeps, "keyRefresher" | "signingKeys"> = {};
  if (options.databaseKeys) {
    const kek = { key: randomBytes(32), source: "test", setting: "TOKENLEADER_KEY_ENCRYPTION_KEY" };
    const loaded = await loadDatabaseKeySet(options.db, keySettings, kek);
    const ring = createKeyRing(loaded.keys, options.now);
    const keyRefresher = createKeySetRefresher({
      db: options.db,
      kek,
      ring,
      intervalMs: settings.token.keySetRefreshSeconds * 1000,
      log: { info() {}, warn() {} },
    });
    const signingKeys = createSigningKeyService(options.db, settings, {
      kek,
      now: options.now,
      afterChange: () => keyRefresher.refresh(),
    });
    keySet = loaded.keySet;
    keys = ring;
    databaseKeys = { keyRefresher, signingKeys };
  } else {
    keySet = (await loadKeySet(keySettings)).keySet;
    keys = fixedKeySetSource(keySet);
  }
  // As tokenleader-server wires it: credential changes revoke sessions and bearer tokens.
  const sessions = new SessionStore(options.db);
  const adminService = createAdminService(options.db, settings, sessionRevocationHooks(sessions));
  const app = buildServer(settings, {
    db: options.db,
    keySet: keys,
    ...databaseKeys,
    adminService,
    sessions,
    plugins: options.plugins,
    logger: options.logger,
    now: options.now,
  });
  await app.ready();
  return {
    app,
    settings,
    keySet,
    keys,
    adminService,
    sessions,
    dataDir,
    async close() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// RSA generation is the slowest part of a test server; one key per test file is enough.
let cachedRsaPem: string | null = null;

async function placeCachedRsaKey(dataDir: string, algorithm: string): Promise<void> {
  if (algorithm !== "RS512" && algorithm !== "PS512") return;
  cachedRsaPem ??= generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  const { privateKeyFile } = generatedKeyFiles(dataDir, "rsa");
  await mkdir(join(dataDir, "keys"), { recursive: true });
  await writeFile(privateKeyFile, cachedRsaPem, { mode: 0o600 });
}

export interface SeedUser {
  username: string;
  password: string;
  email?: string | null;
  roles?: string[];
}

/** org1/ou1/dept1/wfc1 and role1, as in the original's tests; then the users. */
export async function seedUsers(adminService: AdminService, users: SeedUser[]): Promise<void> {
  if (!(await adminService.getOrg("org1"))) {
    await adminService.addOrg("org1");
    await adminService.addOrgUnit("ou1");
    await adminService.addDepartment("dept1");
    await adminService.addWfc("wfc1", "org1", "ou1", "dept1");
    await adminService.addRole("role1");
  }
  for (const user of users) {
    await adminService.addUser({
      username: user.username,
      password: user.password,
      email: user.email ?? null,
      roles: user.roles ?? ["role1"],
      wfc: "wfc1",
    });
  }
}

// A real server app with the cookie login (real settings file, keys, database, users.yaml) for
// app.inject() tests, plus a tiny browser-like client over inject with a cookie jar.

import { createHash, generateKeyPairSync } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { loadSettings, type Settings } from "../../src/config/index.js";
import type { Database } from "../../src/db/index.js";
import { buildServer, type ServerPlugin } from "../../src/http/index.js";
import { type KeySet, loadKeySet } from "../../src/keys/index.js";
import { createLoginRoutesPlugin, type LoginRoutesOptions } from "../../src/login/index.js";
import { type AdminService, createAdminService } from "../../src/services/index.js";
import { SessionStore, sessionRevocationHooks } from "../../src/sessions/index.js";
import { guessingIni } from "../helpers/test-server.js";
import { CookieJar } from "./cookie-jar.js";

export interface LoginTestServerOptions {
  db: Database;
  /** INI values per section; [login] cookie paths etc. */
  ini?: Record<string, Record<string, string>>;
  /** Text of users.yaml; undefined: no [local_auth]. */
  usersYaml?: string;
  /**
   * The guessing policy: "off" (default, so tests can fail logins freely: both bounds 0) or
   * "settings": as configured (production defaults unless `ini` sets [login] values).
   */
  guessing?: "off" | "settings";
  now?: () => number;
  loginOptions?: Omit<LoginRoutesOptions, "now">;
  logger?: Parameters<typeof buildServer>[1]["logger"];
  /** Further route plugins beside the login routes (e.g. the admin API). */
  extraPlugins?: ServerPlugin[];
}

export interface LoginTestServer {
  app: FastifyInstance;
  settings: Settings;
  keySet: KeySet;
  adminService: AdminService;
  /** The app's session store (the one its admin service revokes through). */
  sessions: SessionStore;
  dataDir: string;
  usersFile: string;
  close(): Promise<void>;
}

let cachedRsaPem: string | null = null;

export async function createLoginTestServer(
  options: LoginTestServerOptions,
): Promise<LoginTestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "tl-login-"));
  const usersFile = join(dataDir, "users.yaml");
  const sections: Record<string, Record<string, string>> = {
    server: { data_dir: dataDir, body_limit: "16kb", log_level: "silent" },
    db: { url: options.db.url },
    // The cheapest argon2 the settings accept, to keep the tests quick.
    passwords: { memory_cost: "7168", time_cost: "5" },
    login: guessingIni(options.guessing),
  };
  if (options.usersYaml !== undefined) {
    await writeFile(usersFile, options.usersYaml);
    sections.local_auth = { users_file: usersFile };
  }
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
  cachedRsaPem ??= generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
  await mkdir(join(dataDir, "keys"), { recursive: true });
  await writeFile(join(dataDir, "keys", "rsa-signing-key.pem"), cachedRsaPem, { mode: 0o600 });
  const { keySet } = await loadKeySet({ ...settings.token, dataDir });
  const sessions = new SessionStore(options.db);
  const adminService = createAdminService(options.db, settings, sessionRevocationHooks(sessions));
  const plugin: ServerPlugin = createLoginRoutesPlugin({
    ...options.loginOptions,
    ...(options.now ? { now: options.now } : {}),
  });
  const app = buildServer(settings, {
    db: options.db,
    keySet,
    adminService,
    sessions,
    plugins: [plugin, ...(options.extraPlugins ?? [])],
    ...(options.now ? { now: options.now } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await app.ready();
  return {
    app,
    settings,
    keySet,
    adminService,
    sessions,
    dataDir,
    usersFile,
    async close() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** hex sha256(password + salt): a legacy WESkit users.yaml password. */
export function legacyHash(password: string, salt: string): string {
  return createHash("sha256")
    .update(password + salt, "utf8")
    .digest("hex");
}

/** The original sample's demo user: test / test, roles Admin and default, legacy hash. */
export const LEGACY_TEST_SALT = "56babfc7-fc0f-490e-9501-5582369d7b7d";
export const SAMPLE_USERS_YAML = `test:
  roles: [Admin, default]
  salt: ${LEGACY_TEST_SALT}
  password: ${legacyHash("test", LEGACY_TEST_SALT)}
  email: test@example.org
alice:
  roles: [reader]
  salt: alice-salt
  password: ${legacyHash("alice-pw", "alice-salt")}
`;

export interface InjectOptions {
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** A multipart/form-data body (a real one, as fetch would send it). */
  multipart?: FormData;
  body?: string | Buffer;
  csrf?: "access" | "refresh";
}

/** A browser-ish client: sends the jar's cookies for the path and stores what comes back. */
export class InjectClient {
  readonly jar = new CookieJar();
  constructor(readonly app: FastifyInstance) {}

  async request(
    method: "GET" | "POST",
    url: string,
    options: InjectOptions = {},
  ): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...options.headers };
    const cookie = this.jar.header(url);
    if (cookie !== undefined) headers.cookie = cookie;
    if (options.csrf) {
      const value = this.jar.get(
        options.csrf === "access" ? "csrf_access_token" : "csrf_refresh_token",
      )?.value;
      if (value !== undefined) headers["x-csrf-token"] = value;
    }
    let payload: string | Buffer | undefined = options.body;
    if (options.json !== undefined) {
      headers["content-type"] ??= "application/json";
      payload = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      headers["content-type"] ??= "application/x-www-form-urlencoded";
      payload = new URLSearchParams(options.form).toString();
    } else if (options.multipart !== undefined) {
      const encoded = await multipartBody(options.multipart);
      headers["content-type"] ??= encoded.contentType;
      payload = encoded.body;
    }
    const response = await this.app.inject({
      method,
      url,
      headers,
      ...(payload !== undefined ? { payload } : {}),
    });
    this.jar.store(response.headers["set-cookie"] as string | string[] | undefined);
    return response;
  }

  get(url: string, options?: InjectOptions) {
    return this.request("GET", url, options);
  }

  post(url: string, options?: InjectOptions) {
    return this.request("POST", url, options);
  }

  /** JSON login; returns the response. */
  login(username: string, password: string) {
    return this.post("/login", { json: { username, password } });
  }

  /** The hidden login-CSRF field of the last login page fetched from `path`. */
  async formToken(path = "/login"): Promise<string> {
    const page = await this.get(path);
    const match = /name="csrf_token" value="([^"]+)"/.exec(page.body);
    if (!match) throw new Error("no csrf_token field on the login page");
    return match[1]!.replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)));
  }
}

/** A FormData as the multipart/form-data body and Content-Type (with boundary) fetch would send. */
export async function multipartBody(
  form: FormData,
): Promise<{ body: Buffer; contentType: string }> {
  const request = new Request("http://localhost/", { method: "POST", body: form });
  return {
    body: Buffer.from(await request.arrayBuffer()),
    contentType: request.headers.get("content-type")!,
  };
}

/** A FormData from name/value pairs (repeated names allowed). */
export function formData(...pairs: [string, string][]): FormData {
  const form = new FormData();
  for (const [name, value] of pairs) form.append(name, value);
  return form;
}

// Every setting the server reads: where it lives in the INI file, which environment variable or
// command-line flag overrides it, and how to fix a bad value. The loader and the docs both work
// from this table; the value rules are in setting-schemas.ts.

export type SettingId =
  | "host"
  | "port"
  | "ssl"
  | "sslSettings"
  | "tlsCertFile"
  | "tlsKeyFile"
  | "dataDir"
  | "publicUrl"
  | "migrateOnStart"
  | "issuerChange"
  | "bodyLimit"
  | "shutdownTimeout"
  | "workers"
  | "requestTimeout"
  | "headersTimeout"
  | "keepAliveTimeout"
  | "idleTimeout"
  | "trustProxy"
  | "logLevel"
  | "accessLog"
  | "dbUrl"
  | "dbConnectTimeout"
  | "dbStatementTimeout"
  | "dbPoolSize"
  | "privateKeyFile"
  | "publicKeyFile"
  | "algorithm"
  | "rsaKeyBits"
  | "keyEncryptionKeyFile"
  | "lifetimeSeconds"
  | "issuer"
  | "clockLeeway"
  | "acceptTokensWithoutIssuer"
  | "tokenProfile"
  | "keyRotationLead"
  | "keySetRefresh"
  | "memoryCost"
  | "timeCost"
  | "parallelism"
  | "passwordMinLength"
  | "maxConcurrentHashes"
  | "hashThreadNice"
  | "maxQueuedHashes"
  | "roleToAclMapFile"
  | "superRoles"
  | "loginEnabled"
  | "cookieSecure"
  | "csrfProtect"
  | "accessTtl"
  | "refreshTtl"
  | "accessCookiePath"
  | "refreshCookiePath"
  | "sameSite"
  | "redirectAfterLogin"
  | "userOrder"
  | "maxFailuresPerAccount"
  | "maxFailuresPerSource"
  | "failureWindow"
  | "lockoutDuration"
  | "trustedSourceDays"
  | "localAuthEnabled"
  | "usersFile"
  | "upgradeLegacyHashes"
  | "auditRetentionDays"
  | "metricsEnabled"
  | "metricsAllow"
  | "metricsTokenFile";

/** More processes than this is a typo (or a machine this server was never measured on). */
export const MAX_WORKERS = 256;

export interface SettingDefinition {
  section: string;
  /** Keys read, first found wins (`[db] url` before the original's SQLALCHEMY_DATABASE_URI). */
  keys: string[];
  env?: string;
  /**
   * A variable naming a file that holds the value (a Docker or Kubernetes secret), read when
   * `env` is unset; both set is an error (secret-file-variables.ts).
   */
  envFile?: string;
  /** The command-line flag that sets it (`tokenleader-server --port`, `adminops --db`). */
  flag?: string;
  /** Appended to every problem with this setting: what a good value looks like. */
  fix: string;
}

export const SETTING_DEFINITIONS: Record<SettingId, SettingDefinition> = {
  host: {
    section: "flask_default",
    keys: ["host_name"],
    env: "TOKENLEADER_HOST",
    flag: "--host",
    fix: "set a host name or IP address to listen on, e.g. 127.0.0.1 or 0.0.0.0",
  },
  port: {
    section: "flask_default",
    keys: ["host_port"],
    env: "TOKENLEADER_PORT",
    flag: "--port",
    fix: "set an integer between 1 and 65535, e.g. 5001",
  },
  ssl: {
    section: "flask_default",
    keys: ["ssl"],
    env: "TOKENLEADER_SSL",
    fix: 'set "enabled" or "disabled"',
  },
  sslSettings: {
    section: "flask_default",
    keys: ["ssl_settings"],
    env: "TOKENLEADER_SSL_SETTINGS",
    fix: 'set "adhoc" (a throw-away self-signed certificate made at start) or "files" (the certificate and key of [server] tls_cert_file and tls_key_file)',
  },
  dataDir: {
    section: "server",
    keys: ["data_dir"],
    env: "TOKENLEADER_DATA_DIR",
    fix: "set a directory path, e.g. /var/lib/tokenleader",
  },
  publicUrl: {
    section: "server",
    keys: ["public_url"],
    env: "TOKENLEADER_PUBLIC_URL",
    fix: "set the http(s) base URL clients use, e.g. https://auth.example.org",
  },
  migrateOnStart: {
    section: "server",
    keys: ["migrate_on_start"],
    env: "TOKENLEADER_MIGRATE_ON_START",
    flag: "--migrate",
    fix: "set true or false",
  },
  issuerChange: {
    section: "server",
    keys: ["issuer_change"],
    env: "TOKENLEADER_ISSUER_CHANGE",
    flag: "--issuer-change",
    fix: "set yes or no",
  },
  bodyLimit: {
    section: "server",
    keys: ["body_limit"],
    env: "TOKENLEADER_BODY_LIMIT",
    fix: "set a size in bytes, or with a unit: 65536, 64kb, 1mb (max 100mb)",
  },
  shutdownTimeout: {
    section: "server",
    keys: ["shutdown_timeout"],
    env: "TOKENLEADER_SHUTDOWN_TIMEOUT",
    fix: "set a number of seconds between 0 and 600, e.g. 10",
  },
  workers: {
    section: "server",
    keys: ["workers"],
    env: "TOKENLEADER_WORKERS",
    flag: "--workers",
    fix: `set "auto" (one per core) or a whole number of processes between 1 and ${MAX_WORKERS}, e.g. 4`,
  },
  requestTimeout: {
    section: "server",
    keys: ["request_timeout"],
    env: "TOKENLEADER_REQUEST_TIMEOUT",
    fix: "set a number of seconds between 0.1 and 3600, at least headers_timeout, e.g. 30",
  },
  headersTimeout: {
    section: "server",
    keys: ["headers_timeout"],
    env: "TOKENLEADER_HEADERS_TIMEOUT",
    fix: "set a number of seconds between 0.1 and 600, at most request_timeout, e.g. 10",
  },
  keepAliveTimeout: {
    section: "server",
    keys: ["keep_alive_timeout"],
    env: "TOKENLEADER_KEEP_ALIVE_TIMEOUT",
    fix: "set a number of seconds between 0.1 and 3600, longer than the reverse proxy's idle timeout, e.g. 65",
  },
  idleTimeout: {
    section: "server",
    keys: ["idle_timeout"],
    env: "TOKENLEADER_IDLE_TIMEOUT",
    fix: "set a number of seconds between 0.1 and 3600, e.g. 60",
  },
  tlsCertFile: {
    section: "server",
    keys: ["tls_cert_file"],
    env: "TOKENLEADER_TLS_CERT_FILE",
    fix: "set the path of a PEM file holding the server certificate (and its chain), e.g. /etc/tokenleader/tls/cert.pem",
  },
  tlsKeyFile: {
    section: "server",
    keys: ["tls_key_file"],
    env: "TOKENLEADER_TLS_KEY_FILE",
    fix: "set the path of the PEM file holding the certificate's private key (unencrypted), e.g. /etc/tokenleader/tls/key.pem",
  },
  trustProxy: {
    section: "server",
    keys: ["trust_proxy"],
    env: "TOKENLEADER_TRUST_PROXY",
    fix: "set the addresses of the reverse proxies in front of the server (e.g. 127.0.0.1 or 10.0.0.0/8, comma-separated), true to trust every X-Forwarded-For entry, or false",
  },
  logLevel: {
    section: "server",
    keys: ["log_level"],
    env: "TOKENLEADER_LOG_LEVEL",
    fix: "set one of fatal, error, warn, info, debug, trace, silent",
  },
  accessLog: {
    section: "server",
    keys: ["access_log"],
    env: "TOKENLEADER_ACCESS_LOG",
    fix: "set yes or no",
  },
  dbUrl: {
    section: "db",
    keys: ["url", "SQLALCHEMY_DATABASE_URI"],
    env: "TOKENLEADER_DB_URL",
    envFile: "TOKENLEADER_DB_URL_FILE",
    flag: "--db",
    fix: 'use "file:/path/to/tokenleader.db", "sqlite:////path/to/tokenleader.db" or "postgresql://user@host:5432/db"',
  },
  dbConnectTimeout: {
    section: "db",
    keys: ["connect_timeout"],
    env: "TOKENLEADER_DB_CONNECT_TIMEOUT",
    fix: "set a number of seconds between 0.1 and 120, e.g. 5",
  },
  dbStatementTimeout: {
    section: "db",
    keys: ["statement_timeout"],
    env: "TOKENLEADER_DB_STATEMENT_TIMEOUT",
    fix: "set a number of seconds between 0.1 and 3600, e.g. 10",
  },
  dbPoolSize: {
    section: "db",
    keys: ["pool_size"],
    env: "TOKENLEADER_DB_POOL_SIZE",
    fix: "set a whole number of connections between 1 and 1000, e.g. 10",
  },
  privateKeyFile: {
    section: "token",
    keys: ["private_key_file_location"],
    env: "TOKENLEADER_PRIVATE_KEY_FILE",
    fix: 'set a file path, or "default" for ~/.ssh/id_rsa',
  },
  publicKeyFile: {
    section: "token",
    keys: ["public_key_file_location"],
    env: "TOKENLEADER_PUBLIC_KEY_FILE",
    fix: 'set a file path, or "default" for ~/.ssh/id_rsa.pub',
  },
  keyEncryptionKeyFile: {
    section: "token",
    keys: ["key_encryption_key_file"],
    env: "TOKENLEADER_KEY_ENCRYPTION_KEY_FILE",
    fix: "set the path of a file holding 32 random bytes in base64 (openssl rand -base64 32)",
  },
  algorithm: {
    section: "token",
    keys: ["algorithm"],
    env: "TOKENLEADER_TOKEN_ALGORITHM",
    fix: "set one of RS512, PS512, ES256, EdDSA",
  },
  rsaKeyBits: {
    section: "token",
    keys: ["rsa_key_bits"],
    env: "TOKENLEADER_RSA_KEY_BITS",
    fix: "set 2048, 3072 or 4096",
  },
  lifetimeSeconds: {
    section: "token",
    keys: ["lifetime_seconds"],
    env: "TOKENLEADER_TOKEN_LIFETIME",
    fix: "set an integer number of seconds between 60 and 2592000 (30 days), e.g. 3600",
  },
  issuer: {
    section: "token",
    keys: ["issuer"],
    env: "TOKENLEADER_TOKEN_ISSUER",
    fix: "set a non-empty string, usually the public URL",
  },
  clockLeeway: {
    section: "token",
    keys: ["clock_leeway_seconds"],
    env: "TOKENLEADER_TOKEN_CLOCK_LEEWAY",
    fix: "set an integer number of seconds between 0 and 600, e.g. 60",
  },
  acceptTokensWithoutIssuer: {
    section: "token",
    keys: ["accept_tokens_without_issuer"],
    env: "TOKENLEADER_ACCEPT_TOKENS_WITHOUT_ISSUER",
    fix: "set yes or no",
  },
  tokenProfile: {
    section: "token",
    keys: ["profile"],
    env: "TOKENLEADER_TOKEN_PROFILE",
    fix: "set tokenleader (sub is the user object, as the original) or standard (sub is the user id)",
  },
  keyRotationLead: {
    section: "token",
    keys: ["key_rotation_lead_seconds"],
    env: "TOKENLEADER_KEY_ROTATION_LEAD",
    fix: "set an integer number of seconds between 0 and 604800 (7 days), e.g. 360",
  },
  keySetRefresh: {
    section: "token",
    keys: ["key_set_refresh_seconds"],
    env: "TOKENLEADER_KEY_SET_REFRESH",
    fix: "set an integer number of seconds between 1 and 3600, e.g. 30",
  },
  memoryCost: {
    section: "passwords",
    keys: ["memory_cost"],
    env: "TOKENLEADER_ARGON2_MEMORY_COST",
    fix: "set KiB as an integer between 7168 and 4194304; with time cost t, memory x t must be at least 35840 (OWASP), e.g. 19456",
  },
  timeCost: {
    section: "passwords",
    keys: ["time_cost"],
    env: "TOKENLEADER_ARGON2_TIME_COST",
    fix: "set an integer between 1 and 100, e.g. 2",
  },
  parallelism: {
    section: "passwords",
    keys: ["parallelism"],
    env: "TOKENLEADER_ARGON2_PARALLELISM",
    fix: "set an integer between 1 and 16, e.g. 1",
  },
  passwordMinLength: {
    section: "passwords",
    keys: ["min_length"],
    env: "TOKENLEADER_PASSWORD_MIN_LENGTH",
    fix: "set an integer number of characters between 1 and 1024, e.g. 8",
  },
  // The hash slots (passwords/hash-slots.ts): password hashes at once, and how many may wait.
  maxConcurrentHashes: {
    section: "passwords",
    keys: ["max_concurrent_hashes"],
    env: "TOKENLEADER_MAX_CONCURRENT_HASHES",
    fix: "set an integer between 1 and 256, e.g. 1 on 2 cores (default: the cores minus one, at least 1)",
  },
  maxQueuedHashes: {
    section: "passwords",
    keys: ["max_queued_hashes"],
    env: "TOKENLEADER_MAX_QUEUED_HASHES",
    fix: "set an integer between 0 and 100000, e.g. 64",
  },
  hashThreadNice: {
    section: "passwords",
    keys: ["hash_thread_nice"],
    env: "TOKENLEADER_HASH_THREAD_NICE",
    fix: "set an integer nice value between 0 (the event loop's priority) and 19 (the lowest), e.g. 10",
  },
  roleToAclMapFile: {
    section: "enforcer",
    keys: ["role_to_acl_map_file"],
    env: "TOKENLEADER_ROLE_TO_ACL_MAP",
    fix: "set the path of role_to_acl_map.yml",
  },
  superRoles: {
    section: "enforcer",
    keys: ["super_roles"],
    env: "TOKENLEADER_SUPER_ROLES",
    fix: 'set a comma-separated list of role names allowed everything, e.g. "admin", or leave it empty for none',
  },
  loginEnabled: {
    section: "login",
    keys: ["enabled"],
    fix: "set true (cookie login on) or false (no login routes)",
  },
  cookieSecure: {
    section: "login",
    keys: ["cookie_secure"],
    fix: "set true, or false only for local development over plain http",
  },
  csrfProtect: {
    section: "login",
    keys: ["csrf_protect"],
    fix: "set true or false",
  },
  accessTtl: {
    section: "login",
    keys: ["access_ttl"],
    fix: "set a whole number of seconds from 60 to 86400, e.g. 900",
  },
  refreshTtl: {
    section: "login",
    keys: ["refresh_ttl"],
    fix: "set a whole number of seconds from 300 to 31536000, e.g. 2592000",
  },
  accessCookiePath: {
    section: "login",
    keys: ["access_cookie_path"],
    fix: "set a path starting with / without spaces, ';' or ',', e.g. /",
  },
  refreshCookiePath: {
    section: "login",
    keys: ["refresh_cookie_path"],
    fix: "set a path starting with / without spaces, ';' or ',', e.g. /refresh",
  },
  sameSite: {
    section: "login",
    keys: ["same_site"],
    fix: "set Lax, Strict or None",
  },
  redirectAfterLogin: {
    section: "login",
    keys: ["redirect_after_login"],
    fix: "set a local path such as /user_status (not a URL, not //host)",
  },
  userOrder: {
    section: "login",
    keys: ["user_order"],
    fix: "list database and/or file once each, e.g. database,file",
  },
  // The guessing policy (guessing/): every password check, /token/gettoken included.
  maxFailuresPerAccount: {
    section: "login",
    keys: ["max_failures_per_account"],
    fix: "set a whole number of failures from 0 (no limit) to 10000, e.g. 5",
  },
  maxFailuresPerSource: {
    section: "login",
    // rate_limit_per_minute: its name before issue 12 (then /login only), still read.
    keys: ["max_failures_per_source", "rate_limit_per_minute"],
    fix: "set a whole number of failures from 0 (no limit) to 10000, e.g. 10",
  },
  failureWindow: {
    section: "login",
    keys: ["failure_window"],
    fix: "set a whole number of seconds from 1 to 86400, e.g. 60",
  },
  lockoutDuration: {
    section: "login",
    keys: ["lockout_duration"],
    fix: "set a whole number of seconds from 1 to 86400, e.g. 300",
  },
  trustedSourceDays: {
    section: "login",
    keys: ["trusted_source_days"],
    fix: "set a whole number of days from 0 (remember none) to 3650, e.g. 30",
  },
  localAuthEnabled: {
    section: "local_auth",
    keys: ["enabled"],
    fix: "set true or false (default: true when users_file is set)",
  },
  usersFile: {
    section: "local_auth",
    keys: ["users_file"],
    fix: "set the path of users.yaml, e.g. users_file = users.yaml",
  },
  upgradeLegacyHashes: {
    section: "local_auth",
    keys: ["upgrade_legacy_hashes"],
    fix: "set true or false",
  },
  auditRetentionDays: {
    section: "audit",
    keys: ["retention_days"],
    env: "TOKENLEADER_AUDIT_RETENTION_DAYS",
    fix: "set a whole number of days from 0 (keep forever) to 36500, e.g. 90",
  },
  metricsEnabled: {
    section: "metrics",
    keys: ["enabled"],
    env: "TOKENLEADER_METRICS_ENABLED",
    fix: "set true (serve /metrics) or false (no /metrics route)",
  },
  metricsAllow: {
    section: "metrics",
    keys: ["allow"],
    env: "TOKENLEADER_METRICS_ALLOW",
    fix: "list the addresses or CIDR ranges that may read /metrics, comma-separated (e.g. loopback, 10.0.0.0/8), or any",
  },
  metricsTokenFile: {
    section: "metrics",
    keys: ["token_file"],
    env: "TOKENLEADER_METRICS_TOKEN_FILE",
    fix: "set the path of a file holding the bearer token scrapers must send (at least 16 characters)",
  },
};

/** Every key the server reads, by section (the sample etc/tokenleader_settings.ini lists them). */
export function knownKeysBySection(): Map<string, string[]> {
  const known = new Map<string, string[]>();
  for (const definition of Object.values(SETTING_DEFINITIONS)) {
    known.set(definition.section, [...(known.get(definition.section) ?? []), ...definition.keys]);
  }
  return known;
}

/**
 * The original merged every key of its sections into the Flask config, so its files carry Flask
 * keys (SQLALCHEMY_TRACK_MODIFICATIONS, DEBUG, SECRET_KEY…). Upper-case keys in these sections
 * are accepted silently; they have no effect here.
 */
export const SECTIONS_WITH_FLASK_KEYS = ["flask_default", "token", "db"];

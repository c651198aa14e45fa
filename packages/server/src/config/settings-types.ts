// The validated, deep-frozen settings every part of the server reads. Produced once by
// `loadSettings()`; nothing else parses the settings file or the environment.

import type { SigningAlgorithm, TokenProfile } from "@tokenleader/client";
import type { DatabaseProvider } from "../db/database-url.js";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const SAME_SITE_VALUES = ["Lax", "Strict", "None"] as const;
export type SameSite = (typeof SAME_SITE_VALUES)[number];
/** Where the cookie login looks a username up. */
export type UserSource = "database" | "file";

/** `[login]`: the cookie login (WESkit). */
export interface LoginSettings {
  /** false: no login routes at all (the server logs a loud warning at start). */
  readonly enabled: boolean;
  /**
   * `Secure` on every login cookie. Keep true whenever clients reach the server over HTTPS
   * (directly or through a proxy). Only local development over plain http:// needs false —
   * browsers drop Secure cookies on http, so login would seem to do nothing.
   */
  readonly cookieSecure: boolean;
  /** Double-submit CSRF check (X-CSRF-TOKEN) on unsafe methods of cookie-authenticated routes. */
  readonly csrfProtect: boolean;
  /** Seconds. */
  readonly accessTtl: number;
  /** Seconds. */
  readonly refreshTtl: number;
  readonly accessCookiePath: string;
  readonly refreshCookiePath: string;
  readonly sameSite: SameSite;
  /** Local path the form login redirects to (never a full URL: no open redirect). */
  readonly redirectAfterLogin: string;
  /** Where a username is looked up first; a user found in the first source is not looked up again. */
  readonly userOrder: readonly UserSource[];
  /** The guessing policy of every password check (/login and /token/gettoken alike). */
  readonly guessing: GuessingSettings;
}

/**
 * Thresholds of the guessing policy (guessing/). `maxFailures` reached within `windowSeconds`
 * locks the account (or source) for `lockoutSeconds`; 0 switches that bound off.
 */
export interface GuessingSettings {
  /** Failed checks per username, from all sources together. */
  readonly maxFailuresPerAccount: number;
  /** Failed checks per client address, whatever the username. */
  readonly maxFailuresPerSource: number;
  readonly windowSeconds: number;
  readonly lockoutSeconds: number;
  /** How long a source an account logged in from stays exempt from that account's lockout; 0: never. */
  readonly trustedSourceDays: number;
}

/** `[local_auth]`: the users.yaml backend of the cookie login. */
export interface LocalAuthSettings {
  /** Defaults to true when `users_file` is set, false otherwise. */
  readonly enabled: boolean;
  /** Absolute path of users.yaml, or null. */
  readonly usersFile: string | null;
  /** Rewrite legacy sha256 entries as argon2id after a successful login (needs a writable file). */
  readonly upgradeLegacyHashes: boolean;
}

/** How long a client may take before the server closes its connection (milliseconds). */
export interface ConnectionTimeouts {
  /** The whole request, headers and body. */
  readonly requestMs: number;
  /** The request headers, from the first byte of the request (slowloris). */
  readonly headersMs: number;
  /** An idle keep-alive connection between two requests. */
  readonly keepAliveMs: number;
  /** No byte either way while a request is read or answered. */
  readonly idleMs: number;
}

/**
 * HTTPS served by the server itself (`[flask_default] ssl = enabled`): a throw-away self-signed
 * certificate made at start (`ssl_settings = adhoc`, the original's), or a certificate and key
 * read from PEM files (`ssl_settings = files`), read again on SIGHUP.
 */
export type TlsSettings =
  | { readonly mode: "adhoc" }
  | { readonly mode: "files"; readonly certFile: string; readonly keyFile: string };

/** `[metrics]`: the Prometheus endpoint /metrics. */
export interface MetricsSettings {
  /** false: no /metrics route. */
  readonly enabled: boolean;
  /**
   * Client addresses that may read /metrics (addresses, CIDR ranges, `loopback`, `linklocal`,
   * `uniquelocal`, as in trust_proxy), or "any".
   */
  readonly allow: readonly string[] | "any";
  /** Absolute path of a file holding the bearer token scrapers must send, or null: none needed. */
  readonly tokenFile: string | null;
}

export interface Settings {
  /** Absolute path of the settings file read, or null when the built-in defaults were used. */
  readonly configFile: string | null;
  /** Non-fatal findings (unknown keys, a database under /tmp…), one line each, for the CLI/log. */
  readonly warnings: readonly string[];
  readonly server: {
    readonly host: string;
    readonly port: number;
    /** Absolute path. Holds the SQLite database, generated keys, the initial admin password. */
    readonly dataDir: string;
    /** Base URL clients use, no trailing slash (e.g. "http://localhost:5001"). */
    readonly publicUrl: string;
    readonly migrateOnStart: boolean;
    /**
     * Accept a token issuer that differs from the one recorded for the deployment, and record it
     * (`--issuer-change`): the deployment moves to a new public URL.
     */
    readonly issuerChange: boolean;
    readonly bodyLimitBytes: number;
    readonly shutdownTimeoutMs: number;
    /**
     * Server processes sharing the port (`--workers`; `auto` resolved to the core count). 1: one
     * process, no cluster primary.
     */
    readonly workers: number;
    readonly timeouts: ConnectionTimeouts;
    /**
     * Whose address X-Forwarded-For gives: false (the socket's), a list of the reverse proxies'
     * addresses or CIDR ranges (also `loopback`, `linklocal`, `uniquelocal`): the client is the
     * nearest address not on the list, so entries a client adds itself are ignored; or true
     * (every hop: the leftmost entry, which a client can forge when the proxy appends).
     */
    readonly trustProxy: boolean | readonly string[];
    readonly logLevel: LogLevel;
    /**
     * One info line per answered request (method, path, status, time). Off: only answers with
     * a 5xx status get one; errors and security events are logged either way.
     */
    readonly accessLog: boolean;
    /** null: plain HTTP (`ssl` is not `enabled`, the original's rule). */
    readonly tls: TlsSettings | null;
  };
  readonly db: {
    /** Normalised: "file:/abs/path" (SQLite) or "postgresql://…". */
    readonly url: string;
    readonly provider: DatabaseProvider;
    /**
     * PostgreSQL only: connecting and waiting for a pooled connection (ms), the server-side
     * statement timeout (ms), and the most connections this process opens.
     */
    readonly connectTimeoutMs: number;
    readonly statementTimeoutMs: number;
    readonly poolSize: number;
  };
  readonly token: {
    /**
     * Absolute path, or null. Imported into the database as the deployment's first signing key
     * when the database has none; otherwise only checked.
     */
    readonly privateKeyFile: string | null;
    readonly publicKeyFile: string | null;
    /**
     * Absolute path of the key-encryption key (base64 of 32 bytes) that seals the signing keys'
     * private halves in the database, or null: TOKENLEADER_KEY_ENCRYPTION_KEY, else one generated
     * in the data directory.
     */
    readonly keyEncryptionKeyFile: string | null;
    readonly algorithm: SigningAlgorithm;
    /** Bits of the RSA keys the server generates (first start, rotation): 2048, 3072 or 4096. */
    readonly rsaKeyBits: number;
    readonly lifetimeSeconds: number;
    readonly issuer: string;
    /** Seconds a token's `iat`/`nbf` may lie in the future (clock skew between hosts). */
    readonly clockLeewaySeconds: number;
    /** Accept tokens with no `iss` (tokenleader 1.8's): a compatibility switch, off by default. */
    readonly acceptTokensWithoutIssuer: boolean;
    /**
     * Claim layout of /token/gettoken's tokens: "tokenleader" (`sub` is the user object, as the
     * original) or "standard" (RFC 7519: `sub` is the user id as a string, the user object sits
     * in the `tokenleader` claim).
     */
    readonly profile: TokenProfile;
    /**
     * Seconds between `adminops keys rotate` and the new key's first signature: it is published
     * in the JWKS meanwhile, so verifiers learn it before they meet a token signed with it.
     */
    readonly keyRotationLeadSeconds: number;
    /**
     * How often each instance re-reads the signing keys from the database: the fallback when a
     * PostgreSQL notice was missed, the only way on SQLite.
     */
    readonly keySetRefreshSeconds: number;
  };
  /** argon2id cost parameters for new password hashes. */
  readonly passwords: {
    /** KiB. */
    readonly memoryCost: number;
    readonly timeCost: number;
    readonly parallelism: number;
    /** Shortest password that can be set (adminops, admin API, users file); sign-in has no minimum. */
    readonly minLength: number;
    /** Password hashes computed at once in a process (default: the cores minus one, ≥ 1). */
    readonly maxConcurrentHashes: number;
    /** Hashes that may wait for one of those; one more is refused with 503 + Retry-After. */
    readonly maxQueuedHashes: number;
    /** Nice value of the password-hash threads (0–19): how far below the event loop they run. */
    readonly hashThreadNice: number;
  };
  readonly enforcer: {
    /** Absolute path of role_to_acl_map.yml. */
    readonly roleToAclMapFile: string;
    /**
     * False when the path is only the default (beside the settings file, or ./etc): the admin API
     * then falls back to a built-in map (role admin → tokenleader.*) if no file is there.
     */
    readonly roleToAclMapConfigured: boolean;
    readonly superRoles: readonly string[];
  };
  readonly audit: {
    /** Audit events older than this many days are deleted (at start, then hourly); 0: kept forever. */
    readonly retentionDays: number;
  };
  readonly login: LoginSettings;
  readonly localAuth: LocalAuthSettings;
  readonly metrics: MetricsSettings;
}

/** Thrown by `loadSettings`: every problem found, one line each naming where and the fix. */
export class SettingsError extends Error {
  readonly code = "SETTINGS_INVALID";
  constructor(readonly problems: string[]) {
    super(`invalid settings:\n${problems.join("\n")}`);
    this.name = "SettingsError";
  }
}

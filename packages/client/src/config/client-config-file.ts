import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { parseDocument } from "yaml";
import { ClientError } from "../errors.js";

// `client_configs.yml` of the original client (reference §5.2). The shipped samples contain
// `ssl_verify` twice, which PyYAML accepted (last wins); `uniqueKeys: false` gives the same here.

export const DEFAULT_CLIENT_CONFIG_PATH = "/etc/tokenleader/client_configs.yml";
export const CLIENT_CONFIG_ENV = "TOKENLEADER_CLIENT_CONFIG";

export type UserAuthInfoFrom = "file" | "OSENV";

export interface ClientConfigFile {
  /** Absolute path of the file read. */
  configFile: string;
  userAuthInfoFrom: UserAuthInfoFrom;
  /** `~` expanded; null when credentials come from the environment and the key is absent. */
  userAuthInfoFileLocation: string | null;
  fernetKeyFile: string | null;
  /** One-line OpenSSH key or PEM text; null → use the JWKS. */
  tlPublicKey: string | null;
  /** `false` turns certificate verification off (the original sample's default). */
  sslVerify: boolean;
  /** Extra CA bundle (PEM) for a private CA: `ca_file`, or `ssl_verify` given as a path (requests did that). */
  caFile: string | null;
  /** Without trailing slash. */
  tlUrl: string;
  tlJwksUrl: string;
  tlUser: string | null;
  /** JWS algorithms accepted when verifying locally (`tl_token_algorithms`, default RS512). */
  tokenAlgorithms: string[];
  /** Every key of the file as parsed (the original exposed this as `general_config`). */
  generalConfig: Record<string, unknown>;
}

export function expandHome(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return resolve(homedir(), path.slice(2));
  return resolve(path);
}

/** Argument, then TOKENLEADER_CLIENT_CONFIG, then /etc/tokenleader/client_configs.yml. */
export function resolveClientConfigPath(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const chosen = explicit || env[CLIENT_CONFIG_ENV] || DEFAULT_CLIENT_CONFIG_PATH;
  return expandHome(chosen);
}

export function missingConfigMessage(path: string): string {
  return (
    `client config file ${path} does not exist: create it (run "tokenleader-auth --help" for a ` +
    `commented sample, or copy etc/client_configs.yml), or give another path with --config or ` +
    `${CLIENT_CONFIG_ENV}`
  );
}

export function readClientConfigFile(path: string): ClientConfigFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT")
      throw new ClientError("CONFIG", missingConfigMessage(path), { cause: err });
    throw new ClientError("CONFIG", `client config file ${path} cannot be read (${code})`, {
      cause: err,
    });
  }
  return parseClientConfig(text, path);
}

export function parseClientConfig(text: string, path: string): ClientConfigFile {
  const problem = (key: string | null, what: string) =>
    new ClientError("CONFIG", key ? `${path}: key "${key}" ${what}` : `${path}: ${what}`);

  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw problem(null, `is not valid YAML (${doc.errors[0]!.message.split("\n")[0]})`);
  }
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw problem(null, "must be a YAML mapping of keys to values");
  }
  const raw = data as Record<string, unknown>;

  const optionalString = (key: string): string | null => {
    const value = raw[key];
    if (value === undefined || value === null || value === "") return null;
    if (typeof value === "number") return String(value);
    if (typeof value !== "string") throw problem(key, "must be a string");
    return value.trim() === "" ? null : value.trim();
  };

  const fromRaw = optionalString("user_auth_info_from") ?? "file";
  const userAuthInfoFrom = (["file", "OSENV"] as const).find(
    (v) => v.toLowerCase() === fromRaw.toLowerCase(),
  );
  if (!userAuthInfoFrom)
    throw problem("user_auth_info_from", `must be "file" or "OSENV", not "${fromRaw}"`);

  const passwordFile = optionalString("user_auth_info_file_location");
  const keyFile = optionalString("fernet_key_file");
  if (userAuthInfoFrom === "file") {
    if (!passwordFile)
      throw problem(
        "user_auth_info_file_location",
        "is missing (path of the encrypted password file)",
      );
    if (!keyFile) throw problem("fernet_key_file", "is missing (path of the Fernet key file)");
  }

  const tlUrlText = optionalString("tl_url");
  if (!tlUrlText) throw problem("tl_url", "is missing (e.g. http://localhost:5001)");
  let tlUrl: URL;
  try {
    tlUrl = new URL(tlUrlText);
  } catch {
    throw problem("tl_url", `is not a URL: "${tlUrlText}"`);
  }
  if (tlUrl.protocol !== "http:" && tlUrl.protocol !== "https:") {
    throw problem("tl_url", `must start with http:// or https://, not "${tlUrlText}"`);
  }
  const baseUrl = tlUrl.href.replace(/\/+$/, "");

  const jwksText = optionalString("tl_jwks_url");
  if (jwksText !== null) {
    try {
      new URL(jwksText);
    } catch {
      throw problem("tl_jwks_url", `is not a URL: "${jwksText}"`);
    }
  }

  const { sslVerify, caFromSslVerify } = parseSslVerify(raw.ssl_verify, problem);
  const caFile = optionalString("ca_file") ?? caFromSslVerify;

  const algorithmsRaw = raw.tl_token_algorithms;
  let tokenAlgorithms = ["RS512"];
  if (algorithmsRaw !== undefined && algorithmsRaw !== null) {
    const list = Array.isArray(algorithmsRaw)
      ? algorithmsRaw
      : String(algorithmsRaw)
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean);
    if (list.length === 0 || !list.every((a) => typeof a === "string")) {
      throw problem("tl_token_algorithms", "must be a list of JWS algorithm names such as RS512");
    }
    tokenAlgorithms = list as string[];
  }

  return {
    configFile: path,
    userAuthInfoFrom,
    userAuthInfoFileLocation: passwordFile ? expandHome(passwordFile) : null,
    fernetKeyFile: keyFile ? expandHome(keyFile) : null,
    tlPublicKey: optionalString("tl_public_key"),
    sslVerify,
    caFile: caFile ? expandHome(caFile) : null,
    tlUrl: baseUrl,
    tlJwksUrl: jwksText ?? `${baseUrl}/.well-known/jwks.json`,
    tlUser: optionalString("tl_user"),
    tokenAlgorithms,
    generalConfig: raw,
  };
}

function parseSslVerify(
  value: unknown,
  problem: (key: string, what: string) => ClientError,
): { sslVerify: boolean; caFromSslVerify: string | null } {
  if (value === undefined || value === null || value === "") {
    return { sslVerify: true, caFromSslVerify: null };
  }
  if (typeof value === "boolean") return { sslVerify: value, caFromSslVerify: null };
  if (typeof value === "string") {
    const lowered = value.trim().toLowerCase();
    if (["true", "yes", "on", "1"].includes(lowered))
      return { sslVerify: true, caFromSslVerify: null };
    if (["false", "no", "off", "0"].includes(lowered)) {
      return { sslVerify: false, caFromSslVerify: null };
    }
    // Python requests treated a string as a CA bundle path; keep that meaning.
    return { sslVerify: true, caFromSslVerify: value.trim() };
  }
  throw problem("ssl_verify", "must be True, False, or the path of a CA bundle");
}

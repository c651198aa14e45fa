import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { ClientError } from "../errors.js";
import { parseYesNo } from "../settings/yes-no.js";
import { DEFAULT_CLOCK_LEEWAY_SEC } from "../token/issuer-and-time-checks.js";

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
  /** `iss` tokens must carry (`tl_issuer`); null → learned from the server's discovery document. */
  tlIssuer: string | null;
  /** `tl_accept_tokens_without_issuer`: accept tokens with no `iss` (tokenleader 1.8's); default no. */
  acceptTokensWithoutIssuer: boolean;
  /** `tl_clock_leeway_seconds`: how far `iat`/`nbf` may lie in the future; default 60. */
  clockLeewaySeconds: number;
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
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ClientError(
      "CONFIG",
      `${path}: is not valid YAML (${doc.errors[0]!.message.split("\n")[0]})`,
    );
  }
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ClientError("CONFIG", `${path}: must be a YAML mapping of keys to values`);
  }
  const result = clientConfigSchema.safeParse(data);
  if (!result.success) {
    // One line per bad value, each naming the file and the key.
    const lines = result.error.issues.map(
      (issue) => `${path}: key "${String(issue.path[0])}" ${issue.message}`,
    );
    throw new ClientError("CONFIG", lines.join("\n"));
  }
  const file = result.data;
  const caFile = file.ca_file ?? file.ssl_verify.caFile;
  return {
    configFile: path,
    userAuthInfoFrom: file.user_auth_info_from,
    userAuthInfoFileLocation: file.user_auth_info_file_location
      ? expandHome(file.user_auth_info_file_location)
      : null,
    fernetKeyFile: file.fernet_key_file ? expandHome(file.fernet_key_file) : null,
    tlPublicKey: file.tl_public_key,
    sslVerify: file.ssl_verify.sslVerify,
    caFile: caFile ? expandHome(caFile) : null,
    tlUrl: file.tl_url,
    tlJwksUrl: file.tl_jwks_url ?? `${file.tl_url}/.well-known/jwks.json`,
    tlUser: file.tl_user,
    tokenAlgorithms: file.tl_token_algorithms,
    tlIssuer: file.tl_issuer,
    acceptTokensWithoutIssuer: file.tl_accept_tokens_without_issuer,
    clockLeewaySeconds: file.tl_clock_leeway_seconds ?? DEFAULT_CLOCK_LEEWAY_SEC,
    generalConfig: data as Record<string, unknown>,
  };
}

/** A text value: absent, null or blank is null; numbers are read as text (a numeric user name). */
const optionalText = z
  .union([z.string(), z.number()], { error: "must be a string" })
  .nullish()
  .transform((value) => {
    const trimmed = value == null ? "" : String(value).trim();
    return trimmed === "" ? null : trimmed;
  });

const clientConfigSchema = z
  .object({
    user_auth_info_from: optionalText.transform((value, ctx): UserAuthInfoFrom => {
      const given = value ?? "file";
      const match = (["file", "OSENV"] as const).find(
        (mode) => mode.toLowerCase() === given.toLowerCase(),
      );
      if (match) return match;
      ctx.addIssue({ code: "custom", message: `must be "file" or "OSENV", not "${given}"` });
      return z.NEVER;
    }),
    user_auth_info_file_location: optionalText,
    fernet_key_file: optionalText,
    tl_public_key: optionalText,
    tl_url: optionalText.transform((value, ctx) => {
      if (value === null) {
        ctx.addIssue({ code: "custom", message: "is missing (e.g. http://localhost:5001)" });
        return z.NEVER;
      }
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: "custom", message: `is not a URL: "${value}"` });
        return z.NEVER;
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        ctx.addIssue({
          code: "custom",
          message: `must start with http:// or https://, not "${value}"`,
        });
        return z.NEVER;
      }
      return url.href.replace(/\/+$/, "");
    }),
    tl_jwks_url: optionalText.refine((value) => value === null || URL.canParse(value), {
      error: (issue) => `is not a URL: "${String(issue.input)}"`,
    }),
    ssl_verify: z
      .unknown()
      .optional()
      .transform((value, ctx) => {
        const verify = readSslVerify(value);
        if (verify) return verify;
        ctx.addIssue({
          code: "custom",
          message: "must be True, False, or the path of a CA bundle",
        });
        return z.NEVER;
      }),
    ca_file: optionalText,
    tl_user: optionalText,
    tl_issuer: optionalText,
    tl_accept_tokens_without_issuer: z
      .unknown()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value === null || value === "") return false;
        const yesNo = parseYesNo(value);
        if (yesNo !== undefined) return yesNo;
        ctx.addIssue({ code: "custom", message: "must be yes or no" });
        return z.NEVER;
      }),
    tl_clock_leeway_seconds: z
      .number({ error: "must be a number of seconds" })
      .int({ error: "must be a whole number of seconds" })
      .min(0, { error: "must not be negative" })
      .max(600, { error: "must be at most 600" })
      .nullish(),
    tl_token_algorithms: z
      .unknown()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value === null) return ["RS512"];
        const list = Array.isArray(value)
          ? value
          : String(value)
              .split(",")
              .map((name) => name.trim())
              .filter(Boolean);
        if (list.length === 0 || !list.every((name) => typeof name === "string")) {
          ctx.addIssue({
            code: "custom",
            message: "must be a list of JWS algorithm names such as RS512",
          });
          return z.NEVER;
        }
        return list as string[];
      }),
  })
  .superRefine((file, ctx) => {
    if (file.user_auth_info_from !== "file") return;
    if (!file.user_auth_info_file_location) {
      ctx.addIssue({
        code: "custom",
        path: ["user_auth_info_file_location"],
        message: "is missing (path of the encrypted password file)",
      });
    }
    if (!file.fernet_key_file) {
      ctx.addIssue({
        code: "custom",
        path: ["fernet_key_file"],
        message: "is missing (path of the Fernet key file)",
      });
    }
  });

/**
 * `ssl_verify`: a yes/no value, or (as Python requests read a string) the path of a CA bundle.
 * Undefined when it is neither.
 */
function readSslVerify(value: unknown): { sslVerify: boolean; caFile: string | null } | undefined {
  if (value === undefined || value === null || value === "")
    return { sslVerify: true, caFile: null };
  const yesNo = parseYesNo(value);
  if (yesNo !== undefined) return { sslVerify: yesNo, caFile: null };
  if (typeof value === "string") return { sslVerify: true, caFile: value.trim() };
  return undefined;
}

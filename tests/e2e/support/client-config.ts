import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface ClientConfigOptions {
  tlUrl: string;
  tlUser: string;
  /** `tl_public_key` (OpenSSH line or PEM); left out → the client uses `<tl_url>/.well-known/jwks.json`. */
  publicKey?: string;
  /** "file" (encrypted password written by tokenleader-auth) or "OSENV" (TL_USER / TL_PASSWORD). */
  from?: "file" | "OSENV";
}

/**
 * Writes a client_configs.yml in the Python tokenleaderclient's format (same keys, the duplicate
 * `ssl_verify` of its sample included) with its own password and Fernet key files under `dir/name`.
 */
export function writeClientConfig(dir: string, name: string, options: ClientConfigOptions): string {
  const home = join(dir, name);
  mkdirSync(home, { recursive: true });
  const file = join(home, "client_configs.yml");
  writeFileSync(
    file,
    [
      `user_auth_info_from: ${options.from ?? "file"} # OSENV or file`,
      `user_auth_info_file_location: ${join(home, "tlclient", "user_settings.ini")}`,
      `fernet_key_file: ${join(home, "tlclient", "farnetkeys")}`,
      ...(options.publicKey ? [`tl_public_key: ${options.publicKey}`] : []),
      "ssl_verify: False",
      `tl_user: ${options.tlUser}`,
      `tl_url: ${options.tlUrl}`,
      "ssl_verify: True",
      "",
    ].join("\n"),
  );
  return file;
}

export function passwordFileOf(configFile: string): string {
  return join(configFile, "..", "tlclient", "user_settings.ini");
}

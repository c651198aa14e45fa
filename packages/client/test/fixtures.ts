import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DEVELOPER_SSH_RSA_PUBLIC_KEY,
  REFERENCE_FERNET_KEY,
  REFERENCE_FERNET_TOKEN,
} from "../src/token/reference-vectors.test-helpers.js";

export function makeTempDir(prefix = "tl-client-"): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The original client's test data (tokenleaderclient/tests/testdata): a config in the shipped
 * format (with `ssl_verify` twice), the Fernet key file and the password file that decrypts to user1.
 */
export function writeOriginalTestData(
  dir: string,
  options: { tlUrl?: string; publicKey?: string; extraLines?: string } = {},
): { configFile: string; passwordFile: string; keyFile: string } {
  mkdirSync(dir, { recursive: true });
  const passwordFile = join(dir, "test_settings.ini");
  const keyFile = join(dir, "farnetkeys");
  const configFile = join(dir, "test_general_configs.yml");
  writeFileSync(keyFile, REFERENCE_FERNET_KEY);
  writeFileSync(passwordFile, `[DEFAULT]\ntl_password = ${REFERENCE_FERNET_TOKEN}\n\n`);
  writeFileSync(
    configFile,
    [
      "user_auth_info_from: file # OSENV or file , leave it as file",
      `user_auth_info_file_location: ${passwordFile} # change this location to users home dir `,
      `fernet_key_file: ${keyFile}`,
      `tl_public_key: ${options.publicKey ?? DEVELOPER_SSH_RSA_PUBLIC_KEY}`,
      "ssl_verify: False # leave it as is ",
      "tl_user: user1",
      `tl_url: ${options.tlUrl ?? "http://localhost:5001"}`,
      "ssl_verify: False",
      options.extraLines ?? "",
      "",
    ].join("\n"),
  );
  return { configFile, passwordFile, keyFile };
}

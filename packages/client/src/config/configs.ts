import {
  type CredentialFiles,
  decryptStoredPassword,
  type StoreResult,
  storeEncryptedPassword,
} from "../credentials/stored-password.js";
import { ClientError } from "../errors.js";
import {
  type ClientConfigFile,
  readClientConfigFile,
  resolveClientConfigPath,
  type UserAuthInfoFrom,
} from "./client-config-file.js";

export interface ConfigsOptions {
  /** Path of client_configs.yml; default TOKENLEADER_CLIENT_CONFIG, then /etc/tokenleader/client_configs.yml. */
  configFile?: string;
  /** Overrides tl_user / TL_USER. */
  user?: string;
  /** Wins over the password file and TL_PASSWORD (the original silently discarded it). */
  password?: string;
  /** Environment for TOKENLEADER_CLIENT_CONFIG, TL_USER, TL_PASSWORD; default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface Credentials {
  username: string;
  password: string;
}

/**
 * The client configuration: Python `Configs(config_file, tlusr, tlpwd)` →
 * `new Configs({ configFile, user, password })`. Reads the file at construction and throws
 * ClientError("CONFIG") naming the file and key; never exits the process.
 */
export class Configs implements Omit<ClientConfigFile, "tlUser"> {
  readonly configFile: string;
  readonly userAuthInfoFrom: UserAuthInfoFrom;
  readonly userAuthInfoFileLocation: string | null;
  readonly fernetKeyFile: string | null;
  readonly tlPublicKey: string | null;
  readonly sslVerify: boolean;
  readonly caFile: string | null;
  readonly tlUrl: string;
  readonly tlJwksUrl: string;
  readonly tokenAlgorithms: string[];
  readonly tlIssuer: string | null;
  readonly acceptTokensWithoutIssuer: boolean;
  readonly clockLeewaySeconds: number;
  readonly generalConfig: Record<string, unknown>;
  /** Effective user name: explicit, else TL_USER (OSENV), else tl_user. */
  readonly tlUser: string | null;
  /** Set by decryptPassword() (as in the original) or from an explicit password. */
  tlPassword: string | null;

  private readonly explicitPassword: string | null;
  private readonly env: NodeJS.ProcessEnv;

  constructor(options: ConfigsOptions = {}) {
    this.env = options.env ?? process.env;
    const file = readClientConfigFile(resolveClientConfigPath(options.configFile, this.env));
    this.configFile = file.configFile;
    this.userAuthInfoFrom = file.userAuthInfoFrom;
    this.userAuthInfoFileLocation = file.userAuthInfoFileLocation;
    this.fernetKeyFile = file.fernetKeyFile;
    this.tlPublicKey = file.tlPublicKey;
    this.sslVerify = file.sslVerify;
    this.caFile = file.caFile;
    this.tlUrl = file.tlUrl;
    this.tlJwksUrl = file.tlJwksUrl;
    this.tokenAlgorithms = file.tokenAlgorithms;
    this.tlIssuer = file.tlIssuer;
    this.acceptTokensWithoutIssuer = file.acceptTokensWithoutIssuer;
    this.clockLeewaySeconds = file.clockLeewaySeconds;
    this.generalConfig = file.generalConfig;
    const envUser = this.userAuthInfoFrom === "OSENV" ? this.env.TL_USER || null : null;
    this.tlUser = options.user || envUser || file.tlUser;
    this.explicitPassword = options.password || null;
    this.tlPassword = this.explicitPassword;
  }

  static load(options: ConfigsOptions = {}): Configs {
    return new Configs(options);
  }

  /** Where the encrypted password and its key live; CONFIG error when the file does not say. */
  credentialFiles(): CredentialFiles {
    if (!this.userAuthInfoFileLocation || !this.fernetKeyFile) {
      throw new ClientError(
        "CONFIG",
        `${this.configFile}: keys "user_auth_info_file_location" and "fernet_key_file" are needed to store a password`,
      );
    }
    return { passwordFile: this.userAuthInfoFileLocation, keyFile: this.fernetKeyFile };
  }

  /** `generate_user_auth_file(pwd)`: encrypts and stores the password; refuses to overwrite unless force. */
  generateUserAuthFile(password: string, options: { force?: boolean } = {}): Promise<StoreResult> {
    return storeEncryptedPassword(this.credentialFiles(), password, options);
  }

  /** `decrypt_password()`: reads the password file, sets and returns `tlPassword`. */
  decryptPassword(): string {
    this.tlPassword = decryptStoredPassword(this.credentialFiles());
    return this.tlPassword;
  }

  /** The user name and password to log in with, by precedence: explicit, OSENV, password file. */
  resolveCredentials(): Credentials {
    if (!this.tlUser) {
      throw new ClientError(
        "CREDENTIALS",
        this.userAuthInfoFrom === "OSENV"
          ? `no user name: set TL_USER (user_auth_info_from is OSENV in ${this.configFile}) or pass one`
          : `no user name: set tl_user in ${this.configFile} or pass one`,
      );
    }
    if (this.explicitPassword) return { username: this.tlUser, password: this.explicitPassword };
    if (this.userAuthInfoFrom === "OSENV") {
      const password = this.env.TL_PASSWORD;
      if (!password) {
        throw new ClientError(
          "CREDENTIALS",
          `no password: TL_PASSWORD is not set (user_auth_info_from is OSENV in ${this.configFile})`,
        );
      }
      return { username: this.tlUser, password };
    }
    return { username: this.tlUser, password: this.decryptPassword() };
  }
}

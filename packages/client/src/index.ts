export {
  type AddServiceRequest,
  type AddUserRequest,
  type AddWfcRequest,
  Client,
  type ClientOptions,
  type GetTokenOptions,
  type UpdateUserRequest,
} from "./client/client.js";
export * from "./client/responses.js";
export {
  CLIENT_CONFIG_ENV,
  type ClientConfigFile,
  DEFAULT_CLIENT_CONFIG_PATH,
  expandHome,
  parseClientConfig,
  readClientConfigFile,
  resolveClientConfigPath,
  type UserAuthInfoFrom,
} from "./config/client-config-file.js";
export { Configs, type ConfigsOptions, type Credentials } from "./config/configs.js";
export {
  FernetError,
  fernetDecrypt,
  fernetEncrypt,
  generateFernetKey,
} from "./credentials/fernet.js";
export { loadOrCreateFernetKeyFile, readFernetKeyFile } from "./credentials/fernet-key-file.js";
export {
  formatPasswordFile,
  readPasswordFileToken,
  writePasswordFile,
} from "./credentials/password-file.js";
export {
  type CredentialFiles,
  decryptStoredPassword,
  type StoreResult,
  storeEncryptedPassword,
} from "./credentials/stored-password.js";
export { ClientError, type ClientErrorCode, isClientError, toCompatErrorBody } from "./errors.js";
export {
  createHttpTransport,
  DEFAULT_TIMEOUT_MS,
  type HttpTransport,
  type HttpTransportOptions,
} from "./http/http-transport.js";
export * from "./token/index.js";

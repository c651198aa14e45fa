// Public surface of @tokenleader/server: embed the token server in another program or test it.
export type { AppContext } from "./app-context.js";
export {
  type BootstrapResult,
  bootstrapFirstAdmin,
  INITIAL_PASSWORD_FILE,
} from "./bootstrap/index.js";
export {
  type RunningServer,
  type StartServerOptions,
  StartupError,
  startServer,
} from "./cli/tokenleader-server/start-server.js";
export {
  type LoadSettingsOptions,
  loadSettings,
  type Settings,
  SettingsError,
} from "./config/index.js";
export { buildServer, type ServerDeps, type ServerPlugin, standardPlugins } from "./http/index.js";
export {
  KeyError,
  type KeySet,
  type LoadedKeys,
  loadKeySet,
  type SigningKey,
  type VerificationKey,
} from "./keys/index.js";
export {
  createTokenIssuer,
  createTokenVerifier,
  type TokenIssuer,
  type TokenVerifier,
  type TokenVerifierOptions,
  tokenVerifierOptions,
} from "./tokens/index.js";

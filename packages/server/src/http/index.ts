export { buildServer, type ServerDeps, type ServerPlugin } from "./build-server.js";
export { type ErrorBody, errorBody, errorBodySchema } from "./error-body.js";
export {
  type GracefulShutdown,
  type GracefulShutdownOptions,
  prepareGracefulShutdown,
  type ShutdownReport,
} from "./graceful-shutdown.js";
export { createReadinessProbe, type ReadinessProbe, type ReadinessReport } from "./readiness.js";
export {
  JWKS_MAX_AGE_SECONDS,
  JWKS_PATH,
  OPENID_CONFIGURATION_PATH,
} from "./routes/discovery-routes.js";
export { standardPlugins } from "./standard-plugins.js";

export { joinClusterMetrics, metricsText, serveClusterMetrics } from "./cluster-metrics.js";
export {
  type LoginEndpoint,
  type LoginOutcome,
  metricsRegistry,
  type ObservedDatabase,
  type PasswordOperation,
  serverMetrics,
  type TokenKind,
  UNMATCHED_ROUTE,
} from "./server-metrics.js";

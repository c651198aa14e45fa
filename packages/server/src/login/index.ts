// Cookie login (the WESkit login system) and the users.yaml backend. Routes and sessions are
// wired in the http layer; this module provides the parts they call.
export * from "./csrf.js";
export { LOGIN_CSRF_SECRET_FILE, loadOrCreateLoginCsrfSecret } from "./csrf-secret.js";
export { type LoginLogger, silentLoginLogger } from "./logger.js";
export {
  escapeHtml,
  FORM_EXPIRED_HINT,
  LOGIN_PAGE_CSP,
  LOGIN_PAGE_HEADERS,
  type LoginPageHint,
  type LoginPageOptions,
  renderLoginPage,
  renderStatusPage,
  type StatusPageOptions,
  WRONG_CREDENTIALS_HINT,
} from "./page.js";
export {
  LOGIN_DEFAULTS,
  type LoginSettings,
  type LoginSettingsResult,
  parseLoginSettings,
  type RawIniSections,
  type SameSite,
  type UserSource,
} from "./settings.js";
export { prefersHtml, type UserStatusBody, userStatusBody } from "./user-status.js";
export * from "./users-file/index.js";

// Cookie login (the WESkit login system) and the users.yaml backend. `loginRoutesPlugin` is the
// server plugin; the rest are the parts it is made of.
export { authenticateAccessCookie, type CookieAuthResult } from "./cookie-auth.js";
export * from "./csrf.js";
export { loadOrCreateLoginCsrfSecret } from "./csrf-secret.js";
export { type LoginLogger, silentLoginLogger } from "./logger.js";
export {
  clearTokenCookies,
  LOGIN_CSRF_COOKIE_PATH,
  setLoginCsrfCookie,
  setTokenCookies,
} from "./login-cookies.js";
export {
  createLoginRoutesPlugin,
  LOGIN_DISABLED_WARNING,
  type LoginRoutesOptions,
  loginRoutesPlugin,
} from "./login-routes.js";
export { isCrossSite } from "./login-routes-session.js";
export { USER_STATUS_PATHS } from "./login-routes-status.js";
export {
  type LoginRuntime,
  type StartLoginOptions,
  startLogin,
} from "./login-runtime.js";
export {
  type AccessClaims,
  createLoginTokenIssuer,
  type LoginSubject,
  type LoginTokenIssuer,
  type LoginTokenType,
  type RefreshClaims,
  verifyLoginToken,
} from "./login-tokens.js";
export { createLoginUsers, FILE_USER_ID, type LoginUser, type LoginUsers } from "./login-users.js";
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
export { prefersHtml, type UserStatusBody, userStatusBody } from "./user-status.js";
export * from "./users-file/index.js";

// `@tokenleader/client/http-security`: the HTTP security rules the server's cookie login and the
// enforcer share, so both decide unsafe methods, CSRF and secret comparison the same way.
export { constantTimeEqual } from "./constant-time-equal.js";
export { CSRF_HEADER, type CsrfCheck, checkCsrfDoubleSubmit } from "./csrf-double-submit.js";
export { readCookie } from "./read-cookie.js";
export { isUnsafeMethod } from "./unsafe-methods.js";

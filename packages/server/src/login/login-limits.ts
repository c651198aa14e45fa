// Refusal texts of POST /login, shared by the route, the multipart reader and the login scope's
// error handler. Its input limits (longest username and password) are the ones every part of
// tokenleader applies: @tokenleader/client/settings.

/** The 415 `msg` of POST /login for a body that is neither JSON nor a form. */
export const LOGIN_UNSUPPORTED_TYPE =
  "send JSON (Content-Type: application/json) or a form (application/x-www-form-urlencoded or multipart/form-data)";

/** The 413 `msg` of POST /login. */
export const LOGIN_BODY_TOO_LARGE = "the request body is larger than the server accepts";

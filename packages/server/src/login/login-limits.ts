// Input limits and refusal texts of POST /login, shared by the route, the multipart reader and
// the login scope's error handler.

/** Longest username / password /login looks at (longer ones are a 400, not an argon2 run). */
export const MAX_USERNAME_LENGTH = 256;
export const MAX_PASSWORD_LENGTH = 4096;

/** The 415 `msg` of POST /login for a body that is neither JSON nor a form. */
export const LOGIN_UNSUPPORTED_TYPE =
  "send JSON (Content-Type: application/json) or a form (application/x-www-form-urlencoded or multipart/form-data)";

/** The 413 `msg` of POST /login. */
export const LOGIN_BODY_TOO_LARGE = "the request body is larger than the server accepts";

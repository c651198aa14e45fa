// Input limits every part of tokenleader applies (server routes and CLIs, enforcer, client):
// one home, so a value one part accepts is never refused by another.

/**
 * Longest password anything accepts, when it is set (adminops, admin API, `adminops localusers`,
 * the client CLI) and when it is checked (POST /token/gettoken, POST /login). 1024 rather than
 * the 4096 sign-in once allowed: a password longer than any that can be set can never be right,
 * so reading one only makes the server hash kilobytes per guess; 1024 characters is still far
 * beyond any passphrase or password-manager output.
 */
export const PASSWORD_MAX_LENGTH = 1024;

/**
 * Default shortest password that can be set (adminops, admin API, `adminops localusers`, the
 * client CLI); the server's `[passwords] min_length` changes it. Signing in has no minimum: a
 * user whose older password is shorter can still sign in, and gets no hint that it is short.
 */
export const PASSWORD_MIN_LENGTH = 8;

/**
 * Longest username a sign-in reads (POST /token/gettoken, POST /login): longer ones are refused
 * (400) before any password check. Above every name a user store holds (database names have at
 * most 64 characters, `adminops localusers` names 128).
 */
export const USERNAME_MAX_LENGTH = 256;

/** Longest token (JWT text) a verifier looks at; real tokenleader tokens are a few KiB. */
export const TOKEN_MAX_LENGTH = 16 * 1024;

// The OpenAPI description of the cookie login routes (tag "login"). These schemas document; they
// do not validate: the routes keep their own input checks, whose answers are part of the
// interface (`{"login": false}` bodies, the re-rendered form, the original's `msg` texts), so
// every route gets `LOGIN_ROUTE_OPTIONS` (no request validation). The response schemas do shape
// the JSON replies (Fastify serializes with them), so they list every key the routes send.

import { PASSWORD_MAX_LENGTH, USERNAME_MAX_LENGTH } from "@tokenleader/client/settings";
import type { FastifySchema, FastifySchemaCompiler } from "fastify";
import { MAX_MULTIPART_FIELD_BYTES, MAX_MULTIPART_FIELDS } from "./login-multipart.js";
import { LOGIN_FAILURE_CODES } from "./login-replies.js";

/** Route options of every login route: the schema is documentation only, nothing is validated. */
export const LOGIN_ROUTE_OPTIONS: { validatorCompiler: FastifySchemaCompiler<unknown> } = {
  validatorCompiler: () => () => true,
};

const TAGS = ["login"];

const html = {
  type: "string",
  description: "An HTML page (served with a strict Content-Security-Policy)",
} as const;

/** `{"login": bool}` and, on refusals other than wrong credentials, why. */
const loginReply = {
  type: "object",
  properties: {
    login: { type: "boolean" },
    msg: { type: "string", description: "Why the request was refused (not on 403)" },
  },
  required: ["login"],
} as const;

/** The 401/403 body of the cookie routes: the original's `msg` plus a stable `code`. */
const failure = {
  type: "object",
  properties: {
    msg: { type: "string", description: "The original's message, e.g. Missing CSRF token" },
    code: { type: "string", enum: [...LOGIN_FAILURE_CODES] },
  },
  required: ["msg", "code"],
} as const;

const userStatus = {
  type: "object",
  properties: {
    currentUser: { type: "string" },
    UserRoles: { type: "array", items: { type: "string" } },
    "Current authmethod": {
      type: "string",
      enum: ["local", "database"],
      description: "local: a users.yaml user; database: a user of the database",
    },
  },
  required: ["currentUser", "UserRoles", "Current authmethod"],
} as const;

const setCookie = {
  "set-cookie": {
    type: "string",
    description:
      "access_token_cookie and refresh_token_cookie (HttpOnly, on [login] access_cookie_path / refresh_cookie_path), csrf_access_token and csrf_refresh_token (readable by scripts, Path=/; only with csrf_protect)",
  },
} as const;

const clearCookies = {
  "set-cookie": {
    type: "string",
    description: "Expires the four login cookies",
  },
} as const;

const jsonOrHtml = (json: object) => ({
  content: {
    "application/json": { schema: json },
    "text/html": { schema: html },
  },
});

const csrfHeader = (which: "csrf_access_token" | "csrf_refresh_token" | "either") => ({
  type: "object",
  properties: {
    "x-csrf-token": {
      type: "string",
      description:
        which === "either"
          ? "With [login] csrf_protect (the default): the value of csrf_access_token, or of csrf_refresh_token when only the refresh cookie reaches /logout"
          : `With [login] csrf_protect (the default): the value of the ${which} cookie`,
    },
  },
});

const credentials = {
  type: "object",
  properties: {
    username: { type: "string", maxLength: USERNAME_MAX_LENGTH },
    password: { type: "string", maxLength: PASSWORD_MAX_LENGTH, format: "password" },
  },
  required: ["username", "password"],
} as const;

/** The login form's fields (urlencoded or multipart). */
const formCredentials = {
  ...credentials,
  properties: {
    ...credentials.properties,
    csrf_token: {
      type: "string",
      description: "The hidden field of the login page (login CSRF)",
    },
  },
  required: ["username", "password", "csrf_token"],
} as const;

const loginPageSchema = (path: string): FastifySchema => ({
  summary: `The HTML login form${path === "/" ? " (same as GET /login)" : ""}`,
  description:
    "The page people log in with. Sets the login-CSRF cookie (login_csrf, HttpOnly, Path=/login) that goes with the form's hidden csrf_token field.",
  tags: TAGS,
  response: {
    200: {
      description: "The login form",
      content: { "text/html": { schema: html } },
    },
  },
});

export const loginFormSchema = loginPageSchema("/login");
export const rootPageSchema = loginPageSchema("/");

export const postLoginSchema: FastifySchema = {
  summary: "Log in: JSON for programs, the HTML form for people",
  description: `JSON (application/json or application/*+json) answers 200 {"login": true} or 403 {"login": false}. The form (application/x-www-form-urlencoded or multipart/form-data, with the page's csrf_token field and the login_csrf cookie that came with it) answers 302 to [login] redirect_after_login or the page again with a hint; a form without them is refused like an expired one (programs log in with JSON). Both set the session cookies on success. A multipart form takes only text fields: no files, at most ${MAX_MULTIPART_FIELDS} fields of at most ${MAX_MULTIPART_FIELD_BYTES} bytes each. Failed attempts are limited per account and per client address (the guessing policy: [login] max_failures_per_account, max_failures_per_source); over the limit the answer is 429 with Retry-After.`,
  tags: TAGS,
  body: {
    content: {
      "application/json": { schema: credentials },
      "application/x-www-form-urlencoded": { schema: formCredentials },
      "multipart/form-data": { schema: formCredentials },
    },
  },
  response: {
    200: {
      description: 'JSON login succeeded: {"login": true}; the session cookies are set',
      headers: setCookie,
      content: { "application/json": { schema: loginReply } },
    },
    302: {
      description:
        "Form login succeeded: to [login] redirect_after_login; the session cookies are set",
      type: "null",
      headers: {
        location: { type: "string", description: "[login] redirect_after_login" },
        ...setCookie,
      },
    },
    400: {
      description:
        "Bad JSON (not valid JSON, not an object, username or password not a string or too long), or a multipart form that is malformed or carries a file",
      content: { "application/json": { schema: loginReply } },
    },
    403: {
      description:
        'Wrong username or password, missing credentials, or an expired form: {"login": false}, or the login page with a hint for the form',
      ...jsonOrHtml(loginReply),
    },
    413: {
      description:
        "The body is larger than [server] body_limit, or a multipart form has too many or too large fields",
      content: { "application/json": { schema: loginReply } },
    },
    415: {
      description:
        "Neither JSON nor a form (application/x-www-form-urlencoded or multipart/form-data)",
      content: { "application/json": { schema: loginReply } },
    },
    429: {
      description:
        "Too many failed logins from this address: JSON, or the login page with a hint for the form",
      headers: {
        "retry-after": { type: "integer", description: "Seconds until attempts are allowed again" },
      },
      ...jsonOrHtml(loginReply),
    },
  },
};

export const refreshSchema: FastifySchema = {
  summary: "New access token (and a rotated refresh token) from the refresh cookie",
  description:
    "Needs refresh_token_cookie (sent by browsers to [login] refresh_cookie_path). The refresh token rotates on every use; presenting an already used one ends the whole session (theft detection).",
  tags: TAGS,
  security: [{ refreshCookie: [] }],
  headers: csrfHeader("csrf_refresh_token"),
  response: {
    200: {
      description: 'Refreshed: {"refresh": true}; new token cookies are set',
      headers: setCookie,
      content: {
        "application/json": {
          schema: {
            type: "object",
            properties: { refresh: { type: "boolean" } },
            required: ["refresh"],
          },
        },
      },
    },
    401: {
      description:
        "No, invalid or expired refresh cookie, CSRF header missing or wrong, session ended, token re-used, or user removed",
      content: { "application/json": { schema: failure } },
    },
  },
};

const logoutReply = {
  type: "object",
  properties: { logout: { type: "boolean" } },
  required: ["logout"],
} as const;

export const postLogoutSchema: FastifySchema = {
  summary: "Log out: end the server-side session and clear the cookies",
  description:
    "Ends the session named by the access cookie, or by the refresh cookie when only that one reaches /logout (cookie paths); old tokens stop working at once. When no login cookie verifies (none sent, garbage, a bad signature, an expired token whose session has ended too) nothing is ended and it answers 401 with the reason (the original claimed success).",
  tags: TAGS,
  security: [{ accessCookie: [] }, { refreshCookie: [] }, {}],
  headers: csrfHeader("either"),
  response: {
    200: {
      description: 'Logged out: {"logout": true}; the cookies are cleared',
      headers: clearCookies,
      content: { "application/json": { schema: logoutReply } },
    },
    401: {
      description:
        "No login cookie verifies (code COOKIE_MISSING, TOKEN_INVALID, TOKEN_SIGNATURE, TOKEN_EXPIRED…): nothing was ended, the cookies are cleared; or a login cookie came without the matching X-CSRF-TOKEN (CSRF_MISSING, CSRF_MISMATCH): still logged in",
      content: { "application/json": { schema: failure } },
    },
  },
};

export const getLogoutSchema: FastifySchema = {
  summary: "Log out from a link (same-site navigation only)",
  description:
    "As POST /logout but without the CSRF header; refused when the browser says the request comes from another site (Sec-Fetch-Site, Origin). Browsers asking for HTML are sent to the login form.",
  tags: TAGS,
  security: [{ accessCookie: [] }, { refreshCookie: [] }, {}],
  response: {
    200: {
      description: 'Logged out: {"logout": true}; the cookies are cleared',
      headers: clearCookies,
      content: { "application/json": { schema: logoutReply } },
    },
    303: {
      description: "Logged out (a browser asking for HTML): back to the login form",
      type: "null",
      headers: { location: { type: "string" }, ...clearCookies },
    },
    401: {
      description:
        "No login cookie verifies: nothing was ended (as POST /logout); the cookies are cleared",
      content: { "application/json": { schema: failure } },
    },
    403: {
      description: "A cross-site request (code CROSS_SITE_LOGOUT): the session lives on",
      content: { "application/json": { schema: failure } },
    },
  },
};

export const userStatusSchema = (path: string): FastifySchema => ({
  summary:
    path === "/user_status"
      ? "The logged-in user and their roles"
      : "The logged-in user and their roles (the original WESkit path)",
  description:
    "From the access cookie and the live user store. JSON for programs (roles as a JSON list); a small page with a logout link for browsers asking for HTML.",
  tags: TAGS,
  security: [{ accessCookie: [] }],
  response: {
    200: { description: "The current user", ...jsonOrHtml(userStatus) },
    302: {
      description: "Not logged in, a browser asking for HTML: to the login form",
      type: "null",
      headers: { location: { type: "string" } },
    },
    401: {
      description: "No, invalid or expired access cookie, session ended, or the user was removed",
      content: { "application/json": { schema: failure } },
    },
  },
});

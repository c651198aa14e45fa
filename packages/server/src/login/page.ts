// The HTML pages of the cookie login: the login form (WESkit's loginForm.html, made accessible:
// labels, autocomplete hints, an announced error, a login-CSRF field, no JavaScript) and a small
// status page for people. Both share one stylesheet whose hash is the only thing the strict
// Content-Security-Policy allows; links and the form action are relative so the pages work
// under a path prefix.

import { createHash } from "node:crypto";
import { LOGIN_CSRF_FIELD } from "./csrf.js";

const STYLESHEET = `
:root { color-scheme: light dark; font-family: system-ui, sans-serif; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
main { width: min(22rem, 92vw); padding: 2rem; border: 1px solid GrayText; border-radius: 0.5rem; }
h1 { margin: 0 0 1.25rem; font-size: 1.4rem; text-align: center; }
label { display: block; margin: 0.75rem 0 0.25rem; font-weight: 600; }
input { box-sizing: border-box; width: 100%; padding: 0.5rem; font: inherit; border: 1px solid GrayText; border-radius: 0.25rem; }
input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid Highlight; outline-offset: 2px; }
button { margin-top: 1.25rem; width: 100%; padding: 0.6rem; font: inherit; font-weight: 600; cursor: pointer; border-radius: 0.25rem; border: 1px solid GrayText; }
.hint { margin: 0 0 1rem; padding: 0.5rem; text-align: center; font-weight: 700; color: #b00020; border: 1px solid #b00020; border-radius: 0.25rem; }
.hidden { display: none; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 0.4rem 1rem; }
dt { font-weight: 600; }
dd { margin: 0; }
ul { margin: 0; padding-left: 1.2rem; }
`;

const STYLE_HASH = `sha256-${createHash("sha256").update(STYLESHEET, "utf8").digest("base64")}`;

/** The Content-Security-Policy header value both pages must be served with. */
export const LOGIN_PAGE_CSP = `default-src 'none'; style-src '${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/** Headers for every HTML response of the login (the CSP plus no caching, sniffing or referrers). */
export const LOGIN_PAGE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": LOGIN_PAGE_CSP,
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
});

export const WRONG_CREDENTIALS_HINT = "Wrong Username or Password!";
export const FORM_EXPIRED_HINT = "The login form expired. Please sign in again.";
export const TOO_MANY_ATTEMPTS_HINT =
  "Too many failed attempts. Please wait a few minutes and try again.";

export type LoginPageHint = "none" | "wrong-credentials" | "form-expired" | "too-many-attempts";

export interface LoginPageOptions {
  /** The hidden login-CSRF field value (see csrf.ts). */
  readonly csrfField: string;
  readonly hint?: LoginPageHint;
  /** Re-filled after a failed attempt so the user only retypes the password. */
  readonly username?: string;
  readonly title?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLESHEET}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function renderLoginPage(options: LoginPageOptions): string {
  const title = options.title ?? "tokenleader Login";
  const hint = options.hint ?? "none";
  const hintText =
    hint === "form-expired"
      ? FORM_EXPIRED_HINT
      : hint === "too-many-attempts"
        ? TOO_MANY_ATTEMPTS_HINT
        : WRONG_CREDENTIALS_HINT;
  // The hint element is always present (as in the original); shown, it is announced as an alert.
  const hintBlock =
    hint === "none"
      ? `<p id="login-hint" class="hint hidden" hidden>${escapeHtml(hintText)}</p>`
      : `<p id="login-hint" class="hint" role="alert">${escapeHtml(hintText)}</p>`;
  const described = hint === "none" ? "" : ' aria-describedby="login-hint"';
  const username = options.username !== undefined ? ` value="${escapeHtml(options.username)}"` : "";
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1>
${hintBlock}
<form action="login" method="post">
<input type="hidden" name="${LOGIN_CSRF_FIELD}" value="${escapeHtml(options.csrfField)}">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required${username}${described}${options.username === undefined ? " autofocus" : ""}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${described}${options.username !== undefined ? " autofocus" : ""}>
<button type="submit">Login</button>
</form>`,
  );
}

export interface StatusPageOptions {
  readonly username: string;
  readonly roles: readonly string[];
  /** "local" (users.yaml) or "database". */
  readonly authMethod: string;
  /** Relative link to the logout route as seen from the status page (e.g. "logout" or "../../logout"). */
  readonly logoutHref: string;
  readonly title?: string;
}

/** What a browser sees at /user_status after the form login (machines get JSON there). */
export function renderStatusPage(options: StatusPageOptions): string {
  const title = options.title ?? "tokenleader";
  const roles =
    options.roles.length === 0
      ? "<dd>(none)</dd>"
      : `<dd><ul>${options.roles.map((r) => `<li>${escapeHtml(r)}</li>`).join("")}</ul></dd>`;
  return page(
    `${title}: signed in`,
    `<h1>Signed in</h1>
<dl>
<dt>User</dt><dd>${escapeHtml(options.username)}</dd>
<dt>Roles</dt>${roles}
<dt>Method</dt><dd>${escapeHtml(options.authMethod)}</dd>
</dl>
<p><a href="${escapeHtml(options.logoutHref)}">Log out</a></p>`,
  );
}

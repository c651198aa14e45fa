import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { LOGIN_PAGE_CSP, LOGIN_PAGE_HEADERS, renderLoginPage, renderStatusPage } from "./page.js";
import { prefersHtml, userStatusBody } from "./user-status.js";

describe("login page", () => {
  const html = renderLoginPage({ csrfField: "123.abc" });

  it("has labelled fields with autocomplete hints, a relative POST action and the CSRF field", () => {
    expect(html).toContain("<title>tokenleader Login</title>");
    expect(html).toContain('<label for="username">Username</label>');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toMatch(
      /<input id="username" name="username" type="text" autocomplete="username"/,
    );
    expect(html).toMatch(
      /<input id="password" name="password" type="password" autocomplete="current-password"/,
    );
    expect(html).toContain('<form action="login" method="post">');
    expect(html).toContain('<input type="hidden" name="csrf_token" value="123.abc">');
  });

  it("has no script and no inline style attribute; its stylesheet matches the CSP hash", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
    const css = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    const hash = createHash("sha256").update(css, "utf8").digest("base64");
    expect(LOGIN_PAGE_CSP).toBe(
      `default-src 'none'; style-src 'sha256-${hash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    );
    expect(LOGIN_PAGE_HEADERS["content-security-policy"]).toBe(LOGIN_PAGE_CSP);
  });

  it("hides the hint by default and announces it after a failed attempt, escaping the username", () => {
    expect(html).toMatch(
      /<p id="login-hint" class="hint hidden" hidden>Wrong Username or Password!<\/p>/,
    );
    expect(html).not.toContain('role="alert"');
    const failed = renderLoginPage({
      csrfField: "x",
      hint: "wrong-credentials",
      username: '"><script>',
    });
    expect(failed).toContain(
      '<p id="login-hint" class="hint" role="alert">Wrong Username or Password!</p>',
    );
    expect(failed).toContain('value="&#34;&#62;&#60;script&#62;"');
    expect(failed).not.toContain("<script>");
  });
});

describe("status page and body", () => {
  it("lists user and roles as HTML with a relative logout link", () => {
    const html = renderStatusPage({
      username: "test",
      roles: ["Admin", "<b>"],
      authMethod: "local",
      logoutHref: "logout",
    });
    expect(html).toContain("<dd>test</dd>");
    expect(html).toContain("<li>Admin</li><li>&#60;b&#62;</li>");
    expect(html).toContain('<a href="logout">Log out</a>');
    expect(html).not.toMatch(/<script/i);
  });

  it("keeps the original keys with roles as a JSON list", () => {
    expect(userStatusBody({ username: "test", roles: ["Admin", "default"] }, "local")).toEqual({
      currentUser: "test",
      UserRoles: ["Admin", "default"],
      "Current authmethod": "local",
    });
  });

  it("serves HTML only to clients that prefer it", () => {
    expect(prefersHtml("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")).toBe(
      true,
    );
    expect(prefersHtml("application/json")).toBe(false);
    expect(prefersHtml("*/*")).toBe(false);
    expect(prefersHtml(undefined)).toBe(false);
    expect(prefersHtml("application/json, text/html;q=0.5")).toBe(false);
  });
});

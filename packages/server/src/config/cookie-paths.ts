// Which cookie paths the login routes can work with: the browser must send the token cookies
// where the routes need them.

/**
 * True when a browser sends a cookie with Path `cookiePath` to `requestPath` (RFC 6265 5.1.4):
 * the same path, or a prefix ending in "/" or followed by "/".
 */
export function cookiePathCovers(cookiePath: string, requestPath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

/** The path of `[server] public_url` without trailing slashes ("" for none or a bad URL). */
export function publicPathPrefix(publicUrl: string | undefined): string {
  if (publicUrl === undefined) return "";
  try {
    return new URL(publicUrl).pathname.replace(/\/+$/, "");
  } catch {
    return "";
  }
}

export type CookiePathKey = "access_cookie_path" | "refresh_cookie_path";

/**
 * Cookie paths the login routes cannot work with: the browser would not send the token cookies
 * where they are needed. /logout must see at least one token cookie (else it could not end the
 * server-side session: old tokens would keep working after "logout"), /refresh the refresh
 * cookie, and one of the status pages the access cookie. Paths are the browser's: with a
 * `public_url` path (a proxy prefix) both the plain and the prefixed routes are accepted, but
 * all three checks must agree on one of them.
 */
export function cookiePathProblems(
  accessPath: string,
  refreshPath: string,
  prefix: string,
): { key: CookiePathKey; text: string }[] {
  const check = (base: string) => {
    const route = (p: string) => `${base}${p}`;
    const found: { key: CookiePathKey; text: string }[] = [];
    const under = base === "" ? "" : ` (the server is under ${base}, from [server] public_url)`;
    if (
      !cookiePathCovers(accessPath, route("/logout")) &&
      !cookiePathCovers(refreshPath, route("/logout"))
    ) {
      found.push({
        key: "access_cookie_path",
        text: `[login] access_cookie_path = ${JSON.stringify(accessPath)} and refresh_cookie_path = ${JSON.stringify(refreshPath)}: browsers send neither token cookie to ${route("/logout")}${under}, so logout could not end the server-side session and the old tokens would keep working; fix: access_cookie_path = ${base}/ (or a refresh_cookie_path that covers ${route("/logout")}, e.g. ${base}/)`,
      });
    }
    if (!cookiePathCovers(refreshPath, route("/refresh"))) {
      found.push({
        key: "refresh_cookie_path",
        text: `[login] refresh_cookie_path = ${JSON.stringify(refreshPath)}: browsers would not send the refresh cookie to ${route("/refresh")}${under}, so sessions could not be refreshed; fix: refresh_cookie_path = ${route("/refresh")}`,
      });
    }
    if (
      !cookiePathCovers(accessPath, route("/user_status")) &&
      !cookiePathCovers(accessPath, route("/ga4gh/wes/user_status"))
    ) {
      found.push({
        key: "access_cookie_path",
        text: `[login] access_cookie_path = ${JSON.stringify(accessPath)}: browsers would send the access cookie to neither ${route("/user_status")} nor ${route("/ga4gh/wes/user_status")}${under}, so the status page would never see a login; fix: access_cookie_path = ${base}/`,
      });
    }
    return found;
  };
  const plain = check("");
  if (plain.length === 0 || prefix === "") return plain;
  const prefixed = check(prefix);
  return prefixed.length <= plain.length ? prefixed : plain;
}

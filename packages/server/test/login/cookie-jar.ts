// A small browser-like cookie jar for app.inject() and fetch tests: keeps cookies by name and
// path, drops expired ones, and sends only the cookies whose path matches the request (so the
// refresh cookie reaches /refresh only, as in a browser).

export interface JarCookie {
  name: string;
  value: string;
  path: string;
  httpOnly: boolean;
  secure: boolean;
  sameSite: string | undefined;
  maxAge: number | undefined;
  expires: Date | undefined;
}

export class CookieJar {
  private readonly cookies = new Map<string, JarCookie>();

  /** Takes the Set-Cookie header(s) of a response. */
  store(setCookie: string | string[] | undefined): JarCookie[] {
    const lines = setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
    const parsed = lines.map(parseSetCookie);
    for (const cookie of parsed) {
      const key = `${cookie.name}\u0000${cookie.path}`;
      const gone =
        cookie.maxAge !== undefined
          ? cookie.maxAge <= 0
          : cookie.expires !== undefined && cookie.expires.getTime() <= Date.now();
      if (gone) this.cookies.delete(key);
      else this.cookies.set(key, cookie);
    }
    return parsed;
  }

  get(name: string): JarCookie | undefined {
    return [...this.cookies.values()].find((cookie) => cookie.name === name);
  }

  /** The Cookie header a browser would send to `path`. */
  header(path: string): string | undefined {
    const pathname = path.split("?", 1)[0] ?? "/";
    const matching = [...this.cookies.values()]
      .filter((cookie) => pathMatches(pathname, cookie.path))
      .sort((a, b) => b.path.length - a.path.length);
    if (matching.length === 0) return undefined;
    return matching.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
  }

  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [key, cookie] of this.cookies) copy.cookies.set(key, { ...cookie });
    return copy;
  }
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith("/") || requestPath[cookiePath.length] === "/";
}

export function parseSetCookie(line: string): JarCookie {
  const [pair = "", ...attributes] = line.split(";");
  const eq = pair.indexOf("=");
  const cookie: JarCookie = {
    name: pair.slice(0, eq).trim(),
    value: pair.slice(eq + 1).trim(),
    path: "/",
    httpOnly: false,
    secure: false,
    sameSite: undefined,
    maxAge: undefined,
    expires: undefined,
  };
  for (const attribute of attributes) {
    const [rawKey = "", ...rest] = attribute.split("=");
    const key = rawKey.trim().toLowerCase();
    const value = rest.join("=").trim();
    if (key === "path") cookie.path = value;
    else if (key === "httponly") cookie.httpOnly = true;
    else if (key === "secure") cookie.secure = true;
    else if (key === "samesite") cookie.sameSite = value;
    else if (key === "max-age") cookie.maxAge = Number(value);
    else if (key === "expires") cookie.expires = new Date(value);
  }
  return cookie;
}

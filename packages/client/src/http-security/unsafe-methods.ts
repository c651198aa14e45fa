/**
 * Methods that need CSRF protection when a request is authenticated by a cookie. GET, HEAD and
 * OPTIONS are the methods a cross-site page can make a browser send without CORS consent, and they
 * must never change state.
 *
 * TRACE is counted as unsafe on purpose, although RFC 9110 §9.2.1 lists it as safe: browsers
 * cannot send it at all (fetch forbids it), so no legitimate browser request is affected, while a
 * route that answers TRACE with a cookie still has to show the CSRF header. Asking for the header
 * on one method too many only makes the protection stricter; missing one would weaken it.
 */
const SAFE_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "OPTIONS"]);

export function isUnsafeMethod(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

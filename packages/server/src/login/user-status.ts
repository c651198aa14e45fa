// The body of GET /user_status (and /ga4gh/wes/user_status). Keeps the original's keys so WESkit
// clients still find them, but roles are a real JSON list (the original sent a Python repr
// string), and the browser gets an HTML page instead when it asks for one.

export interface UserStatusBody {
  readonly currentUser: string;
  readonly UserRoles: readonly string[];
  readonly "Current authmethod": string;
}

export function userStatusBody(
  user: { username: string; roles: readonly string[] },
  authMethod: string,
): UserStatusBody {
  return {
    currentUser: user.username,
    UserRoles: [...user.roles],
    "Current authmethod": authMethod,
  };
}

/**
 * True when the client prefers HTML (a browser following the form login's redirect); scripts that
 * send Accept: application/json or nothing get JSON, as in the original.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  let html = -1;
  let json = -1;
  for (const part of accept.split(",")) {
    const [type, ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q)) continue;
    if (type === "text/html" || type === "application/xhtml+xml") html = Math.max(html, q);
    if (type === "application/json") json = Math.max(json, q);
  }
  return html > 0 && html > json;
}

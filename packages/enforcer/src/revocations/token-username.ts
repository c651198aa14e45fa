/**
 * The username a token was issued to: `sub.username` (the original's layout) or, in the standard
 * profile where `sub` is a string, the user object's in the `tokenleader` claim. Null otherwise.
 * On the hot path: no allocation.
 */
export function readUsername(claims: Readonly<Record<string, unknown>>): string | null {
  return usernameIn(claims["sub"]) ?? usernameIn(claims["tokenleader"]);
}

function usernameIn(holder: unknown): string | null {
  if (typeof holder !== "object" || holder === null) return null;
  const username = (holder as Record<string, unknown>)["username"];
  return typeof username === "string" ? username : null;
}

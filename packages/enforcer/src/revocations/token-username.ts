/**
 * The username a token was issued to: `sub.username` (the original's layout) or, in the standard
 * profile where `sub` is a string, the user object's in the `tokenleader` claim. Null otherwise.
 */
export function readUsername(claims: Readonly<Record<string, unknown>>): string | null {
  for (const holder of [claims["sub"], claims["tokenleader"]]) {
    if (typeof holder === "object" && holder !== null) {
      const username = (holder as Record<string, unknown>)["username"];
      if (typeof username === "string") return username;
    }
  }
  return null;
}

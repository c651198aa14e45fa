import type { RefusalContext } from "./admin-error-body.js";

// User routes name the user with `name` (1.8) or `username` (tokenrest); one resolution for all.

export type UserNameKey =
  | { readonly username: string; readonly field: "name" | "username" }
  | { readonly field: "name" | "username"; readonly problem: string };

/**
 * The user a body names. Both keys are allowed only when equal. `preferred` is the key named in
 * the refusal when neither is sent (the key the route documents first).
 */
export function userNameFromBody(
  body: { readonly name?: string; readonly username?: string },
  preferred: "name" | "username",
): UserNameKey {
  const username = body.username ?? body.name;
  if (username === undefined) {
    const other = preferred === "name" ? "username" : "name";
    return {
      field: preferred,
      problem: `body: the key "${preferred}" (or "${other}") is required`,
    };
  }
  if (body.name !== undefined && body.username !== undefined && body.name !== body.username) {
    return {
      field: "username",
      problem: 'body: "name" and "username" name different users; send only one of them',
    };
  }
  return { username, field: body.username !== undefined ? "username" : "name" };
}

/**
 * How a user route's refusal is worded: the user the body names, and `serviceKey` (what the
 * service layer calls the user) reported as the key the caller sent. Only called for a refusal of
 * the service, so the body did name a user.
 */
export function userRefusal(
  operation: RefusalContext["operation"],
  body: { readonly name?: string; readonly username?: string },
  preferred: "name" | "username",
  serviceKey: "name" | "username",
): RefusalContext {
  const named = userNameFromBody(body, preferred);
  return {
    operation,
    kind: "user",
    name: "username" in named ? named.username : "",
    fields: { [serviceKey]: named.field },
  };
}

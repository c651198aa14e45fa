import type { AclMap } from "./acl/acl-map.js";
import { readTokenUser, type TokenUser, type TokenWfc } from "./claims.js";

export const DEFAULT_SUPER_ROLES: readonly string[] = Object.freeze(["admin"]);

export interface AuthorizeOptions {
  /**
   * Roles granted every rule without consulting the ACL map. The original hard-coded `admin`;
   * default `['admin']`, pass `[]` to make the ACL file the only source of grants.
   */
  superRoles?: readonly string[];
}

export type AuthorizeCode = "ALLOWED" | "CLAIMS_INVALID" | "RULE_NOT_GRANTED";

export interface AuthorizeResult {
  allowed: boolean;
  code: AuthorizeCode;
  /** Why: which role and pattern granted the rule, or which check failed. */
  reason: string;
  /** The token's work function context; null when the claims could not be read. */
  wfc: TokenWfc | null;
  user: TokenUser | null;
  /** The role that granted the rule, when allowed. */
  grantedByRole?: string;
}

/**
 * Decides whether verified token claims grant `rule` (reference §6.2, steps 3–5): any of the
 * user's roles being a super-role or holding an ACL pattern that matches the rule allows it.
 * Pure and framework-free: claims are assumed verified; malformed claims are denied, never thrown.
 */
export function authorize(
  claims: unknown,
  rule: string,
  aclMap: AclMap,
  options: AuthorizeOptions = {},
): AuthorizeResult {
  const read = readTokenUser(claims);
  if (!read.ok) {
    return { allowed: false, code: "CLAIMS_INVALID", reason: read.reason, wfc: null, user: null };
  }
  const { user } = read;
  const superRoles = options.superRoles ?? DEFAULT_SUPER_ROLES;

  const superRole = user.roles.find((role) => superRoles.includes(role));
  if (superRole !== undefined) {
    return {
      allowed: true,
      code: "ALLOWED",
      reason: `role '${superRole}' is a super-role`,
      wfc: user.wfc,
      user,
      grantedByRole: superRole,
    };
  }
  for (const role of user.roles) {
    const pattern = aclMap.matchingPattern(role, rule);
    if (pattern !== null) {
      return {
        allowed: true,
        code: "ALLOWED",
        reason:
          pattern === rule
            ? `role '${role}' is allowed rule '${rule}'`
            : `role '${role}' is allowed rule '${rule}' by '${pattern}'`,
        wfc: user.wfc,
        user,
        grantedByRole: role,
      };
    }
  }
  return {
    allowed: false,
    code: "RULE_NOT_GRANTED",
    reason:
      user.roles.length === 0
        ? `the token has no roles; rule '${rule}' is not granted`
        : `none of the roles [${user.roles.join(", ")}] is allowed rule '${rule}'`,
    wfc: user.wfc,
    user,
  };
}

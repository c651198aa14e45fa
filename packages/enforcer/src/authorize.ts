import type { AclGrant, AclMap } from "./acl/acl-map.js";
import {
  type ConditionFailure,
  checkWfcConditions,
  describeFailure,
  type RouteParams,
} from "./acl/wfc-conditions.js";
import { readTokenUser, type TokenUser, type TokenWfc } from "./claims.js";

export const DEFAULT_SUPER_ROLES: readonly string[] = Object.freeze(["admin"]);

export interface AuthorizeOptions {
  /**
   * Roles granted every rule without consulting the ACL map. The original hard-coded `admin`;
   * default `['admin']`, pass `[]` to make the ACL file the only source of grants.
   */
  superRoles?: readonly string[];
  /** The request's route parameters, for conditions such as `org: {param: org}`. */
  params?: RouteParams;
}

/** Why a valid token was refused: the finer grain behind RULE_NOT_GRANTED. */
export type RefusalKind = "NO_SUCH_RULE" | "NO_ROLE_MATCHES" | "CONDITION_FAILED";

/** An allow item that matched the rule for one of the token's roles but whose condition failed. */
export interface FailedGrant {
  grant: AclGrant;
  failure: ConditionFailure;
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
  /** The allow item that granted the rule (absent for a super-role). */
  grant?: AclGrant;
  /** For a refusal, `reason` with what the ACL expects: for logs and `explain`, not the caller. */
  detail: string;
  refusal?: RefusalKind;
  /** For CONDITION_FAILED: every matching allow item of the token's roles and what it missed. */
  failedGrants?: FailedGrant[];
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
    return {
      allowed: false,
      code: "CLAIMS_INVALID",
      reason: read.reason,
      detail: read.reason,
      wfc: null,
      user: null,
    };
  }
  const { user } = read;
  const superRoles = options.superRoles ?? DEFAULT_SUPER_ROLES;

  const superRole = user.roles.find((role) => superRoles.includes(role));
  if (superRole !== undefined) {
    const reason = `role '${superRole}' is a super-role`;
    return {
      allowed: true,
      code: "ALLOWED",
      reason,
      detail: reason,
      wfc: user.wfc,
      user,
      grantedByRole: superRole,
    };
  }
  // Allocated only when a condition fails: admitted requests should cost what they did before.
  let failedGrants: FailedGrant[] | undefined;
  for (const role of user.roles) {
    for (const grant of aclMap.grantsFor(role, rule)) {
      const failure = checkWfcConditions(grant.conditions, user.wfc, options.params);
      if (failure) {
        failedGrants ??= [];
        failedGrants.push({ grant, failure });
        continue;
      }
      const reason =
        grant.pattern === rule
          ? `role '${role}' is allowed rule '${rule}'`
          : `role '${role}' is allowed rule '${rule}' by '${grant.pattern}'`;
      return {
        allowed: true,
        code: "ALLOWED",
        reason,
        // Built per admitted request, so kept to the reason; explain() adds the entry.
        detail: reason,
        wfc: user.wfc,
        user,
        grantedByRole: role,
        grant,
      };
    }
  }
  const refused = (refusal: RefusalKind, reason: string, detail: string): AuthorizeResult => ({
    allowed: false,
    code: "RULE_NOT_GRANTED",
    reason,
    detail,
    refusal,
    wfc: user.wfc,
    user,
    ...(failedGrants ? { failedGrants } : {}),
  });
  const rolesReason =
    user.roles.length === 0
      ? `the token has no roles; rule '${rule}' is not granted`
      : `none of the roles [${user.roles.join(", ")}] is allowed rule '${rule}'`;
  if (failedGrants) {
    const details = failedGrants.map(
      ({ grant, failure }) => `${describeGrant(grant)}: ${describeFailure(failure)}`,
    );
    return refused(
      "CONDITION_FAILED",
      // The caller learns that a condition failed, not what the ACL expects.
      `rule '${rule}' is granted to the token's roles only under wfc conditions the token does not meet`,
      `role matches but ${details.join("; ")}`,
    );
  }
  const rolesWithRule = aclMap.rolesMatching(rule);
  if (rolesWithRule.length === 0) {
    return refused(
      "NO_SUCH_RULE",
      rolesReason,
      `no such rule: no entry of the ACL allows rule '${rule}'`,
    );
  }
  return refused(
    "NO_ROLE_MATCHES",
    rolesReason,
    `no role matches: rule '${rule}' is allowed to [${rolesWithRule.join(", ")}], the token has [${user.roles.join(", ")}]`,
  );
}

/** `role 'r', entry 2 (line 7), allow[0] 'orgs:read' if org = route parameter 'org'`. */
export function describeGrant(grant: AclGrant): string {
  const where = grant.line === undefined ? "" : ` (line ${grant.line})`;
  return `role '${grant.role}', entry ${grant.entry}, allow[${grant.allowIndex}]${where} '${grant.pattern}'`;
}

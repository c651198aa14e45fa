import type { AclMap } from "./acl/acl-map.js";
import type { RouteParams, WfcConditions } from "./acl/wfc-conditions.js";
import { authorize, describeGrant, type RefusalKind } from "./authorize.js";
import type { TokenWfc } from "./claims.js";
import type { DenialCode } from "./denial.js";

/** One allow item of the ACL, as explain reports it. */
export interface ExplainedEntry {
  role: string;
  /** 1-based entry number in the ACL file. */
  entry: number;
  allowIndex: number;
  line?: number;
  /** The rule pattern of the allow item (exact or `prefix*`). */
  rule: string;
  conditions: WfcConditions;
}

/** Why a request would be admitted or refused: `enforcer.explain()` and the CLI's answer. */
export interface Explanation {
  allowed: boolean;
  rule: string;
  /**
   * ALLOWED; why a valid token was refused (NO_SUCH_RULE, NO_ROLE_MATCHES, CONDITION_FAILED); or
   * why the token itself was refused (TOKEN_INVALID, TOKEN_EXPIRED, CLAIMS_INVALID, …).
   */
  code: "ALLOWED" | RefusalKind | DenialCode;
  /** One sentence naming the granting role and entry, or the reason for the refusal. */
  reason: string;
  /** The role that granted the rule. */
  role?: string;
  /** True when `role` is a super-role (granted every rule, no ACL entry involved). */
  superRole?: boolean;
  /** The allow item that granted the rule. */
  grantedBy?: ExplainedEntry;
  /** CONDITION_FAILED: each matching allow item and the condition it missed. */
  failures?: Array<ExplainedEntry & { field: string; expected: string; got: string | null }>;
  /** Who the token is for, when its claims could be read. */
  user?: { username: string | null; roles: string[]; wfc: TokenWfc | null };
}

/** Explains the decision `authorize` makes for already-verified (or merely decoded) claims. */
export function explainClaims(
  claims: unknown,
  rule: string,
  aclMap: AclMap,
  options: { superRoles?: readonly string[]; params?: RouteParams } = {},
): Explanation {
  const decision = authorize(claims, rule, aclMap, options);
  const user = decision.user
    ? { username: decision.user.username, roles: decision.user.roles, wfc: decision.user.wfc }
    : undefined;
  const base = { rule, reason: decision.detail, ...(user ? { user } : {}) };
  if (decision.allowed) {
    return {
      ...base,
      reason: decision.grant
        ? `${decision.reason} (${describeGrant(decision.grant)})`
        : decision.reason,
      allowed: true,
      code: "ALLOWED",
      ...(decision.grantedByRole !== undefined ? { role: decision.grantedByRole } : {}),
      superRole: decision.grant === undefined,
      ...(decision.grant ? { grantedBy: explainedEntry(decision.grant) } : {}),
    };
  }
  return {
    ...base,
    allowed: false,
    code:
      decision.code === "CLAIMS_INVALID"
        ? "CLAIMS_INVALID"
        : (decision.refusal ?? "RULE_NOT_GRANTED"),
    ...(decision.failedGrants
      ? {
          failures: decision.failedGrants.map(({ grant, failure }) => ({
            ...explainedEntry(grant),
            ...failure,
          })),
        }
      : {}),
  };
}

function explainedEntry(grant: import("./acl/acl-map.js").AclGrant): ExplainedEntry {
  return {
    role: grant.role,
    entry: grant.entry,
    allowIndex: grant.allowIndex,
    ...(grant.line === undefined ? {} : { line: grant.line }),
    rule: grant.pattern,
    conditions: grant.conditions,
  };
}

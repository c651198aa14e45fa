import type { TokenWfc } from "../claims.js";

/** The fields of the token's work function context an ACL entry may require. */
export const WFC_CONDITION_FIELDS = ["org", "orgunit", "department"] as const;
export type WfcConditionField = (typeof WFC_CONDITION_FIELDS)[number];

/**
 * What one field must hold: one value, one of a list, or whatever the named route parameter of the
 * request holds (`{param: org}` for `/orgs/:org/...`).
 */
export type WfcRequirement = string | readonly string[] | { readonly param: string };

export type WfcConditions = Readonly<Partial<Record<WfcConditionField, WfcRequirement>>>;

/** Shared by every plain rule name, so the hot path can skip the checks by identity. */
export const NO_CONDITIONS: WfcConditions = Object.freeze({});

/** Route parameters of the request being decided (Express `req.params`, Fastify `request.params`). */
export type RouteParams = Readonly<Record<string, unknown>>;

/** The first condition a token failed, with what was expected and what the token carries. */
export interface ConditionFailure {
  field: WfcConditionField;
  /** Human-readable: `'org1'`, `one of ['org1', 'org2']`, `route parameter 'org' = 'org1'`. */
  expected: string;
  /** The token's value (null when its wfc lacks the field or the user has no wfc). */
  got: string | null;
}

/** Checks the conditions in file order; null when all hold (or there are none). */
export function checkWfcConditions(
  conditions: WfcConditions,
  wfc: TokenWfc | null,
  params: RouteParams | undefined,
): ConditionFailure | null {
  if (conditions === NO_CONDITIONS) return null;
  for (const field of WFC_CONDITION_FIELDS) {
    const requirement = conditions[field];
    if (requirement === undefined) continue;
    const got = wfc?.[field] ?? null;
    if (!satisfies(requirement, got, params)) {
      return { field, expected: describeRequirement(requirement, params), got };
    }
  }
  return null;
}

function satisfies(
  requirement: WfcRequirement,
  got: string | null,
  params: RouteParams | undefined,
): boolean {
  if (got === null) return false;
  if (typeof requirement === "string") return got === requirement;
  if (isParamRequirement(requirement)) {
    // A route without that parameter never satisfies the condition: fail closed.
    const value = params?.[requirement.param];
    return typeof value === "string" && value === got;
  }
  return requirement.includes(got);
}

export function isParamRequirement(
  requirement: WfcRequirement,
): requirement is { readonly param: string } {
  return typeof requirement === "object" && !Array.isArray(requirement);
}

export function describeRequirement(requirement: WfcRequirement, params?: RouteParams): string {
  if (typeof requirement === "string") return `'${requirement}'`;
  if (isParamRequirement(requirement)) {
    const value = params?.[requirement.param];
    return typeof value !== "string"
      ? `route parameter '${requirement.param}' (the request has none)`
      : `route parameter '${requirement.param}' = '${value}'`;
  }
  return `one of [${(requirement as readonly string[]).map((v) => `'${v}'`).join(", ")}]`;
}

export function describeFailure(failure: ConditionFailure): string {
  return `wfc condition ${failure.field} failed: expected ${failure.expected}, got ${
    failure.got === null ? "none" : `'${failure.got}'`
  }`;
}

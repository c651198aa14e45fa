import { z } from "zod";

/**
 * The parts of a tokenleader token the enforcer relies on (reference §2.2): `sub` is an object
 * carrying the user, its roles and its work function context. Other claims pass through untouched.
 * Kept here (not only in the client's stricter schema) so each missing piece gets its own reason.
 */
const wfcSchema = z.looseObject({
  id: z.union([z.number(), z.string()]).nullable().optional(),
  name: z.string().nullable().optional(),
  org: z.string().nullable().optional(),
  orgunit: z.string().nullable().optional(),
  department: z.string().nullable().optional(),
});

const subSchema = z.looseObject({
  id: z.union([z.number(), z.string()]).nullable().optional(),
  username: z.string().nullable().optional(),
  email: z.string().nullable().optional(),
  roles: z.array(z.string()),
  wfc: wfcSchema.nullable().optional(),
});

/** The token's work function context, as issued. */
export interface TokenWfc {
  id: number | string | null;
  name: string | null;
  org: string | null;
  orgunit: string | null;
  department: string | null;
}

/** The user the token was issued to (the token's `sub`). */
export interface TokenUser {
  id: number | string | null;
  username: string | null;
  email: string | null;
  roles: string[];
  /** Null for users registered without a work function context (1.8 allowed that). */
  wfc: TokenWfc | null;
}

export type ClaimsResult = { ok: true; user: TokenUser } | { ok: false; reason: string };

/** Reads the user out of verified claims; a malformed layout gives a reason, never a throw. */
export function readTokenUser(claims: unknown): ClaimsResult {
  if (claims === null || typeof claims !== "object" || Array.isArray(claims)) {
    return { ok: false, reason: "token payload is not a JSON object" };
  }
  const sub = (claims as Record<string, unknown>)["sub"];
  if (sub === null || typeof sub !== "object" || Array.isArray(sub)) {
    return { ok: false, reason: "token claim 'sub' is not an object" };
  }
  const roles = (sub as Record<string, unknown>)["roles"];
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== "string")) {
    return {
      ok: false,
      reason:
        roles === undefined || roles === null
          ? "token claim 'sub.roles' is missing"
          : "token claim 'sub.roles' is not a list of role names",
    };
  }
  const wfc = (sub as Record<string, unknown>)["wfc"];
  if (wfc !== undefined && wfc !== null && (typeof wfc !== "object" || Array.isArray(wfc))) {
    return { ok: false, reason: "token claim 'sub.wfc' is not an object" };
  }
  const parsed = subSchema.safeParse(sub);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return {
      ok: false,
      reason: `token claim 'sub.${issue.path.join(".")}' has the wrong type`,
    };
  }
  const s = parsed.data;
  return {
    ok: true,
    user: {
      id: s.id ?? null,
      username: s.username ?? null,
      email: s.email ?? null,
      roles: [...s.roles],
      wfc: s.wfc
        ? {
            id: s.wfc.id ?? null,
            name: s.wfc.name ?? null,
            org: s.wfc.org ?? null,
            orgunit: s.wfc.orgunit ?? null,
            department: s.wfc.department ?? null,
          }
        : null,
    },
  };
}

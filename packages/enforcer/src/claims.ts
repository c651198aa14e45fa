/**
 * The parts of a tokenleader token the enforcer relies on (reference §2.2): `sub` is an object
 * carrying the user, its roles and its work function context. Other claims pass through untouched.
 * Kept here (not only in the client's stricter schema) so each missing piece gets its own reason.
 * Checked by hand, not with a zod schema: this runs on every request, cached token or not, and the
 * schema's parse cost about as much as the rest of the cached path.
 */
type FieldCheck = (value: unknown) => boolean;
const idOrAbsent: FieldCheck = (v) =>
  v === undefined || v === null || typeof v === "string" || Number.isFinite(v);
const textOrAbsent: FieldCheck = (v) => v === undefined || v === null || typeof v === "string";

/** The optional fields of `sub` and of `sub.wfc`, in the order their problems are reported. */
const SUB_FIELDS: ReadonlyArray<readonly [string, FieldCheck]> = [
  ["id", idOrAbsent],
  ["username", textOrAbsent],
  ["email", textOrAbsent],
];
const WFC_FIELDS: ReadonlyArray<readonly [string, FieldCheck]> = [
  ["id", idOrAbsent],
  ["name", textOrAbsent],
  ["org", textOrAbsent],
  ["orgunit", textOrAbsent],
  ["department", textOrAbsent],
];

/** The first field of `object` whose value has the wrong type, or undefined. */
function firstWrongField(
  object: Record<string, unknown>,
  fields: ReadonlyArray<readonly [string, FieldCheck]>,
): string | undefined {
  for (const [name, fits] of fields) if (!fits(object[name])) return name;
  return undefined;
}

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
  const s = sub as Record<string, unknown>;
  const w = wfc as Record<string, unknown> | null | undefined;
  const wrong = firstWrongField(s, SUB_FIELDS) ?? (w ? wrongWfcField(w) : undefined);
  if (wrong !== undefined) {
    return { ok: false, reason: `token claim 'sub.${wrong}' has the wrong type` };
  }
  return {
    ok: true,
    user: {
      id: (s["id"] ?? null) as TokenUser["id"],
      username: (s["username"] ?? null) as string | null,
      email: (s["email"] ?? null) as string | null,
      roles: [...(roles as string[])],
      wfc: w
        ? {
            id: (w["id"] ?? null) as TokenWfc["id"],
            name: (w["name"] ?? null) as string | null,
            org: (w["org"] ?? null) as string | null,
            orgunit: (w["orgunit"] ?? null) as string | null,
            department: (w["department"] ?? null) as string | null,
          }
        : null,
    },
  };
}

function wrongWfcField(wfc: Record<string, unknown>): string | undefined {
  const name = firstWrongField(wfc, WFC_FIELDS);
  return name === undefined ? undefined : `wfc.${name}`;
}

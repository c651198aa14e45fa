import { z } from "zod";

// Claims layout of the original (reference §2.2): `sub` is an object, not a string. Tokens of the
// "standard" profile are read into this layout first (token-profile.ts). Extra keys
// (iss, jti, future additions) are kept so that a newer server does not break older verifiers.

export const WfcSchema = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  org: z.string(),
  orgunit: z.string(),
  department: z.string(),
});
export type Wfc = z.infer<typeof WfcSchema>;

export const TokenSubjectSchema = z.looseObject({
  id: z.number().int(),
  username: z.string().min(1),
  // The original allowed users without e-mail; older tokens may also omit the key.
  email: z.string().nullable().default(null),
  roles: z.array(z.string()),
  // 1.8 allowed users without wfc; such a token carries no work-function context.
  wfc: WfcSchema.nullable().default(null),
});
export type TokenSubject = z.infer<typeof TokenSubjectSchema>;

export const TokenClaimsSchema = z.looseObject({
  iat: z.number().int(),
  exp: z.number().int(),
  sub: TokenSubjectSchema,
  iss: z.string().optional(),
  jti: z.string().optional(),
  /** The service the token is for (its catalog name): tokens asked for with `service`. */
  aud: z.union([z.string(), z.array(z.string())]).optional(),
});
export type TokenClaims = z.infer<typeof TokenClaimsSchema>;

// TokenClaimsSchema's parse by hand, for the verification hot path: zod's parse was a tenth of an
// uncached RS512 verification. It gives what the schema gives (fresh objects, the schema's keys
// first, `email` and `wfc` defaulted to null, extra keys kept) or undefined whenever it is not
// sure; the schema then decides and names the problem, so the schema stays the rule.

type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isSafeInt = Number.isSafeInteger as (value: unknown) => value is number;

/** Copies the keys of `from` that are not in `known` into `to`; false where zod might differ. */
function copyExtraKeys(from: Plain, to: Plain, known: ReadonlySet<string>): boolean {
  for (const key in from) {
    if (known.has(key)) continue;
    // An own "__proto__" (JSON.parse makes one) would set the copy's prototype if assigned.
    if (key === "__proto__") return false;
    to[key] = from[key];
  }
  return true;
}

function copyStrings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const copy: string[] = new Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    if (typeof item !== "string") return undefined;
    copy[i] = item;
  }
  return copy;
}

const WFC_KEYS: ReadonlySet<string> = new Set(["id", "name", "org", "orgunit", "department"]);
const SUBJECT_KEYS: ReadonlySet<string> = new Set(["id", "username", "email", "roles", "wfc"]);
const CLAIMS_KEYS: ReadonlySet<string> = new Set(["iat", "exp", "sub", "iss", "jti", "aud"]);

function readWfc(value: unknown): Wfc | null | undefined {
  if (value === undefined || value === null) return null;
  if (!isPlain(value)) return undefined;
  const { id, name, org, orgunit, department } = value;
  if (
    !isSafeInt(id) ||
    typeof name !== "string" ||
    typeof org !== "string" ||
    typeof orgunit !== "string" ||
    typeof department !== "string"
  ) {
    return undefined;
  }
  const wfc: Wfc = { id, name, org, orgunit, department };
  return copyExtraKeys(value, wfc, WFC_KEYS) ? wfc : undefined;
}

function readSubject(value: unknown): TokenSubject | undefined {
  if (!isPlain(value)) return undefined;
  const { id, username, email } = value;
  if (!isSafeInt(id) || typeof username !== "string" || username.length === 0) return undefined;
  if (email !== undefined && email !== null && typeof email !== "string") return undefined;
  const roles = copyStrings(value["roles"]);
  const wfc = readWfc(value["wfc"]);
  if (roles === undefined || wfc === undefined) return undefined;
  const subject: TokenSubject = { id, username, email: email ?? null, roles, wfc };
  return copyExtraKeys(value, subject, SUBJECT_KEYS) ? subject : undefined;
}

/**
 * `TokenClaimsSchema.safeParse(value).data` when the claims plainly fit the schema, without zod;
 * undefined when they do not, or may not (then ask the schema, which also says why).
 */
export function readTokenClaims(value: unknown): TokenClaims | undefined {
  if (!isPlain(value)) return undefined;
  const { iat, exp, iss, jti, aud } = value;
  if (!isSafeInt(iat) || !isSafeInt(exp)) return undefined;
  const sub = readSubject(value["sub"]);
  if (sub === undefined) return undefined;
  const claims: TokenClaims = { iat, exp, sub };
  // The schema's optional keys: kept when present (even as undefined), as zod keeps them.
  if ("iss" in value) {
    if (iss !== undefined && typeof iss !== "string") return undefined;
    claims.iss = iss;
  }
  if ("jti" in value) {
    if (jti !== undefined && typeof jti !== "string") return undefined;
    claims.jti = jti;
  }
  if ("aud" in value) {
    if (typeof aud === "string" || aud === undefined) claims.aud = aud;
    else {
      const names = copyStrings(aud);
      if (names === undefined) return undefined;
      claims.aud = names;
    }
  }
  return copyExtraKeys(value, claims, CLAIMS_KEYS) ? claims : undefined;
}

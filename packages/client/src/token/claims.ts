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

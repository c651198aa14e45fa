// Input rules shared by every caller of the service layer (adminops, REST admin routes).
// One place, so the CLI and the API refuse exactly the same things.
import { PASSWORD_MAX_LENGTH } from "@tokenleader/client/settings";
import { z } from "zod";
import { AppError, type ErrorDetail } from "../errors.js";

export const NAME_MAX_LENGTH = 64;
export const EMAIL_MAX_LENGTH = 120;
export const URL_MAX_LENGTH = 256;

// Controls, line separators and invisible format characters (zero-width space, bidi overrides):
// a name that looks like "admin" on screen must be "admin".
const CONTROL_CHARACTERS = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

// Half of a UTF-16 surrogate pair on its own (JSON "\ud800"): not a character at all. Stored, it
// becomes U+FFFD on PostgreSQL and a garbled string on SQLite, so two different inputs would end up
// as the same name or password. (A proper pair is one code point and never matches.)
const LONE_SURROGATE = /\p{Cs}/u;
const NOT_WELL_FORMED = "must be valid Unicode text (it contains a lone UTF-16 surrogate)";

/**
 * `adminops list <kind> -n all` and `GET /list/service/all` mean "every record": a record named
 * `all` could never be fetched on its own, so no name may be `all`.
 */
export const RESERVED_NAME = "all";

const textField = (max: number) =>
  z
    .string({ error: "must be a string" })
    .transform((value) => value.trim())
    .refine((value) => value !== "", { error: "must not be empty" })
    .refine((value) => value.length <= max, { error: `must be at most ${max} characters` })
    .refine((value) => !CONTROL_CHARACTERS.test(value), {
      error: "must not contain control characters or invisible formatting characters",
    })
    .refine((value) => !LONE_SURROGATE.test(value), { error: NOT_WELL_FORMED });

/**
 * The name of an existing record, to look up or delete: trimmed, 1–64 characters, printable,
 * well-formed Unicode. (A record named `all` imported from elsewhere can still be deleted.)
 */
export const existingNameSchema = textField(NAME_MAX_LENGTH);

/**
 * The name of a NEW org, ou, dept, role, wfc, user or service: as `existingNameSchema`, and not
 * the reserved word `all`.
 */
export const nameSchema = existingNameSchema.refine((value) => value !== RESERVED_NAME, {
  error: `must not be "${RESERVED_NAME}" (reserved: it means every record when listing)`,
});

/** Optional: absent, null or empty means "no e-mail". No format check (the original seed uses "user1"). */
export const emailSchema = z
  .string({ error: "must be a string" })
  .nullish()
  .transform((value) => (value == null || value.trim() === "" ? null : value.trim()))
  .refine((value) => value === null || value.length <= EMAIL_MAX_LENGTH, {
    error: `must be at most ${EMAIL_MAX_LENGTH} characters`,
  })
  .refine((value) => value === null || !CONTROL_CHARACTERS.test(value), {
    error: "must not contain control characters",
  })
  .refine((value) => value === null || !LONE_SURROGATE.test(value), { error: NOT_WELL_FORMED });

/**
 * A password being set is taken as given (no trimming): at least `minLength` characters (the
 * `[passwords] min_length` setting; counted in code points, as a person counts them), bounded so
 * hashing stays cheap, and well-formed Unicode (a lone surrogate would hash like any other lone
 * surrogate, as U+FFFD).
 */
export function newPasswordSchema(minLength: number) {
  return z
    .string({ error: "must be a string" })
    .refine((value) => [...value].length >= minLength, {
      error: `is too short: use at least ${minLength} characters`,
    })
    .refine((value) => value.length <= PASSWORD_MAX_LENGTH, {
      error: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
    })
    .refine((value) => !LONE_SURROGATE.test(value), { error: NOT_WELL_FORMED });
}

export const requiredUrlSchema = textField(URL_MAX_LENGTH);
export const optionalUrlSchema = z
  .string({ error: "must be a string" })
  .nullish()
  .transform((value) => (value == null || value.trim() === "" ? null : value.trim()))
  .refine((value) => value === null || value.length <= URL_MAX_LENGTH, {
    error: `must be at most ${URL_MAX_LENGTH} characters`,
  })
  .refine((value) => value === null || !CONTROL_CHARACTERS.test(value), {
    error: "must not contain control characters",
  })
  .refine((value) => value === null || !LONE_SURROGATE.test(value), { error: NOT_WELL_FORMED });

/** A list of role names; duplicates collapse (order kept). */
export const roleNamesSchema = z
  .array(existingNameSchema, { error: "must be a list of role names" })
  .transform((names) => [...new Set(names)]);

/**
 * Parses `input` or throws VALIDATION_FAILED whose message names every bad field, e.g.
 * `name must not be empty; email must be at most 120 characters`.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const details: ErrorDetail[] = result.error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join(".") : "value",
    problem: issue.message,
  }));
  throw new AppError(
    "VALIDATION_FAILED",
    details.map((detail) => `${detail.field} ${detail.problem}`).join("; "),
    { details },
  );
}

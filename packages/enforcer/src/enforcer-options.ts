// The shape of createEnforcer's options, checked with zod like the server's settings: a wrong
// type or range stops the service at start-up with one line per bad option naming it, instead of
// misbehaving at the first request. Rules between options (one verification mode, a file or an
// in-memory map) stay in enforcer.ts, next to the code they choose.

import { z } from "zod";
import { EnforcerError } from "./errors.js";

const shown = (value: unknown) =>
  typeof value === "string" ? JSON.stringify(value) : String(value);

const url = z.string({ error: "must be a URL string" }).refine((value) => URL.canParse(value), {
  error: (issue) => `is not a valid URL: ${String(issue.input)}`,
});
const milliseconds = z
  .number({ error: "must be a number of milliseconds" })
  .min(0, { error: "must not be negative" });
const aFunction = (what: string) =>
  z.custom<(...args: never[]) => unknown>((value) => typeof value === "function", {
    error: `must be ${what}`,
  });

const enforcerOptionsSchema = z
  .looseObject({
    roleToAclMapFile: z.string({ error: "must be a file path" }).min(1, "must not be empty"),
    roleToAclMap: z.array(z.unknown(), { error: "must be a list of ACL entries" }),
    watchAclFile: z.boolean({ error: "must be true or false" }),
    aclReloadDebounceMs: milliseconds,
    jwksUrl: url,
    jwks: z.object({
      cooldownMs: milliseconds.optional(),
      timeoutMs: milliseconds.optional(),
      maxAgeMs: milliseconds.optional(),
    }),
    remoteVerifyUrl: url,
    remoteVerify: z.object({
      timeoutMs: milliseconds.optional(),
      fetch: aFunction("a fetch function").optional(),
    }),
    algorithms: z
      .array(z.string({ error: "must be algorithm names" }), { error: "must be a list" })
      .min(1, { error: "must not be empty" }),
    issuer: z.string({ error: "must be the issuer's name (a string)" }).min(1, "must not be empty"),
    acceptMissingIssuer: z.boolean({ error: "must be true or false" }),
    audience: z
      .string({ error: "must be the service's name in the catalog (a string)" })
      .min(1, "must not be empty"),
    acceptTokensWithoutAudience: z.boolean({ error: "must be true or false" }),
    clockLeewaySec: z
      .number({ error: "must be a number of seconds" })
      .min(0, { error: "must not be negative" }),
    superRoles: z.array(z.string({ error: "must be role names" }), {
      error: "must be a list of role names",
    }),
    compat: z.boolean({ error: "must be true or false" }),
    trustProxy: z.custom<boolean | number>(
      (value) =>
        typeof value === "boolean" ||
        (typeof value === "number" && Number.isSafeInteger(value) && value >= 0),
      {
        error: (issue) =>
          `must be true, false or a whole number of proxy hops (got ${shown(issue.input)})`,
      },
    ),
    cookie: z.object({
      enabled: z.boolean({ error: "must be true or false" }).optional(),
      csrf: z.boolean({ error: "must be true or false" }).optional(),
      name: z.string({ error: "must be a cookie name" }).min(1, "must not be empty").optional(),
    }),
    tokenCache: z.object({
      maxEntries: z
        .number({ error: "must be a number" })
        .int({ error: "must be a whole number" })
        .min(0, { error: "must not be negative" })
        .optional(),
      maxAgeMs: milliseconds.optional(),
    }),
    isTokenActive: aFunction("a function"),
    revocations: z.object({
      url,
      token: z
        .union([z.string().min(1), aFunction("a function")], {
          error: "must be a token string or a function giving one",
        })
        .optional(),
      credentials: z
        .object({
          username: z.string({ error: "must be a string" }).min(1, "must not be empty"),
          password: z.string({ error: "must be a string" }),
          tokenUrl: url.optional(),
        })
        .optional(),
      retryMs: milliseconds.optional(),
      maxRetryMs: milliseconds.optional(),
      fetch: aFunction("a fetch function").optional(),
    }),
  })
  .partial();

/** Throws ENFORCER_OPTIONS_INVALID naming every bad option, one line each. */
export function checkEnforcerOptions(options: unknown): void {
  const result = enforcerOptionsSchema.safeParse(options);
  if (result.success) return;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join(".");
    return `${name} ${issue.message}`;
  });
  throw new EnforcerError("ENFORCER_OPTIONS_INVALID", lines.join("\n"));
}

import { z } from "zod";
import { requestJsonSchema } from "../request-json-schema.js";
import type { AdminRouteSpec } from "./route-rules.js";

// Schemas of the admin + catalog routes: request bodies and path values in zod (the handlers'
// types; Fastify validates with their JSON Schema, see request-json-schema.ts), responses in JSON
// Schema (they shape the output). @fastify/swagger turns both into the OpenAPI document. Types and
// the fixed key sets live here; content rules (lengths, empty names, control characters) stay in the
// service layer's validation so adminops and the API refuse exactly the same things.

const nullableString = { type: ["string", "null"] } as const;

export const wfcDictSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: "string" },
    org: { type: "string" },
    orgunit: { type: "string" },
    department: { type: "string" },
  },
  required: ["id", "name", "org", "orgunit", "department"],
} as const;

/** The original's `User.to_dict()` (also the token's `sub`). */
export const userDictSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    username: { type: "string" },
    email: nullableString,
    roles: { type: "array", items: { type: "string" } },
    wfc: { anyOf: [wfcDictSchema, { type: "null" }] },
  },
  required: ["id", "username", "email", "roles", "wfc"],
} as const;

const namedRecordSchema = {
  type: "object",
  properties: { id: { type: "integer" }, name: { type: "string" } },
  required: ["id", "name"],
} as const;

const orgRecordSchema = {
  type: "object",
  properties: { id: { type: "integer" }, name: { type: "string" }, orgtype: nullableString },
  required: ["id", "name"],
} as const;

/** The original's service `to_dict()` (never the password). */
export const serviceDictSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: "string" },
    endpoint_url_internal: nullableString,
    endpoint_url_external: nullableString,
    endpoint_url_admin: nullableString,
  },
  required: ["id", "name", "endpoint_url_internal", "endpoint_url_external", "endpoint_url_admin"],
} as const;

/** A signing key as `adminops keys list --json` shows it (services/signing-keys.ts). */
export const signingKeySchema = {
  type: "object",
  properties: {
    sequence: { type: "integer" },
    kid: { type: "string", description: "RFC 7638 thumbprint, the tokens' `kid`" },
    algorithm: { type: "string" },
    state: {
      type: "string",
      enum: ["pending", "active-signing", "published", "retired-until", "gone"],
    },
    origin: { type: "string", description: '"generated", "imported:<file>" or "rotated"' },
    createdAt: { type: "string", format: "date-time" },
    activatesAt: { type: "string", format: "date-time", description: "Signs from then on" },
    publishedUntil: {
      type: ["string", "null"],
      format: "date-time",
      description: "Retired keys: when they leave the JWKS and their tokens are refused",
    },
  },
  required: [
    "sequence",
    "kid",
    "algorithm",
    "state",
    "origin",
    "createdAt",
    "activatesAt",
    "publishedUntil",
  ],
} as const;

const statusTextSchema = {
  type: "object",
  properties: { status: { type: "string" } },
  required: ["status"],
} as const;

const listOf = (items: object) =>
  ({
    type: "object",
    properties: { status: { type: "array", items } },
    required: ["status"],
  }) as const;

const adminErrorSchema = {
  type: "object",
  properties: {
    status: {
      description: "The original's reply text (or object) for this case, kept for old scripts",
      anyOf: [{ type: "string" }, { type: "object", additionalProperties: { type: "string" } }],
    },
    message: { type: "string", description: "What went wrong, for people" },
    code: { type: "string", description: "Stable error code" },
    field: { type: "string", description: "The request key (or path parameter) at fault" },
  },
  required: ["status", "message", "code"],
} as const;

const denialSchema = {
  type: "object",
  properties: {
    message: {
      type: "string",
      description:
        "Always the original enforcer's text: 'this endpoint is restricted , authenticaton or authorization failed …'",
    },
    reason: { type: "string" },
    code: { type: "string" },
  },
  required: ["message", "code"],
} as const;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: "Bad input: missing/extra key, wrong type, empty or too long name (field named)",
  404: "No record by that name",
  409: "Already exists, or still referenced by other records (named in message)",
  422: "Refers to a role, wfc, org, ou or dept that does not exist",
  503: "Not available on this server (named in message)",
};

export interface AdminRouteDoc {
  summary: string;
  tag: "users" | "organization" | "catalog" | "keys";
  /** Per-route wording of the listed errors, where the general one would mislead. */
  errorDescriptions?: Readonly<Partial<Record<keyof typeof ERROR_DESCRIPTIONS, string>>>;
  okStatus: 200 | 201;
  ok: object;
  errors: ReadonlyArray<keyof typeof ERROR_DESCRIPTIONS>;
}

/** Either token header (OpenAPI security requirement objects). */
const TOKEN_SCHEMES: Array<Record<string, string[]>> = [{ xAuthToken: [] }, { bearerAuth: [] }];

/** A route schema with the enforcer's 401/403 and the listed 4xx answers documented. */
export function adminRouteSchema(
  spec: AdminRouteSpec,
  options: AdminRouteDoc & { body?: z.ZodType; params?: z.ZodType },
) {
  const response: Record<number, object> = {
    [options.okStatus]: { description: "Done", ...options.ok },
    401: { description: "No token, or an invalid/expired one", ...denialSchema },
    403: { description: `The token's roles are not granted \`${spec.rule}\``, ...denialSchema },
  };
  for (const status of options.errors) {
    const description = options.errorDescriptions?.[status] ?? ERROR_DESCRIPTIONS[status];
    response[status] = { description, ...adminErrorSchema };
  }
  return {
    summary: options.summary,
    description: `Enforcer rule: \`${spec.rule}\``,
    tags: [options.tag],
    security: TOKEN_SCHEMES,
    ...(options.body ? { body: requestJsonSchema(options.body) } : {}),
    ...(options.params ? { params: requestJsonSchema(options.params) } : {}),
    response,
  };
}

/** The record's name in the path (`/delete/org/:name`). */
export const nameParams = z.object({ name: z.string().describe("The record's name") });
/** The user's name in the path (`/list/user/:username`). */
export const usernameParams = z.object({ username: z.string().describe("The record's name") });

const nullableText = z.string().nullable();

export const addUserBody = z
  .strictObject({
    name: z.string().optional(),
    username: z.string().optional(),
    email: nullableText.optional().describe("Optional, unique"),
    password: z.string(),
    wfc: z.string().describe("Name of an existing work function context"),
    roles: z.array(z.string()).describe("Names of existing roles"),
  })
  .describe(
    "`name` (1.8) or `username` (tokenrest) names the user; give one of them (both only if equal)",
  );

export const updateUserBody = z
  .strictObject({
    name: z.string().optional(),
    username: z.string().optional(),
    password: z.string().optional(),
    roles: z.array(z.string()).optional().describe("Names of existing roles"),
  })
  .describe(
    "`username` or `name` names the user; `password` and/or `roles` (the new complete list, all existing) change it. Either change ends the user's login sessions and earlier tokens.",
  );

export const deleteUserBody = z
  .strictObject({ username: z.string().optional(), name: z.string().optional() })
  .describe("`username` (tokenrest) or `name`");

export const addServiceBody = z.strictObject({
  name: z.string(),
  urlint: z.string().describe("Internal endpoint URL (service to service)"),
  urlext: nullableText.optional().describe("External endpoint URL (user network)"),
  urladmin: nullableText.optional().describe("Admin endpoint URL (admin network)"),
  password: nullableText.optional().describe("Optional service-account password"),
});

const seconds = z.number().int().min(0).max(604_800);

export const rotateKeyBody = z
  .strictObject({
    algorithm: z
      .string()
      .optional()
      .describe("RS512, PS512, ES256 or EdDSA; default: the algorithm of the key signing now"),
    lead_time_seconds: seconds
      .optional()
      .describe(
        "Seconds the new key is only published before it signs; default `[token] key_rotation_lead_seconds`",
      ),
  })
  .describe("All optional: `{}` rotates with the configured lead time and the current algorithm");

export const retireKeyBody = z.strictObject({
  kid: z.string().describe("The key's kid (GET /list/keys)"),
  published_for_seconds: seconds
    .optional()
    .describe(
      "Keep it published this long instead of until its last token has expired; 0 removes it at once (a leaked key)",
    ),
});

export const okSchemas = {
  statusText: statusTextSchema,
  keys: listOf(signingKeySchema),
  key: {
    type: "object",
    properties: { status: signingKeySchema },
    required: ["status"],
  },
  users: listOf(userDictSchema),
  user: {
    type: "object",
    properties: { status: userDictSchema },
    required: ["status"],
  },
  named: listOf(namedRecordSchema),
  orgs: listOf(orgRecordSchema),
  wfcs: listOf(wfcDictSchema),
  services: listOf(serviceDictSchema),
  serviceOrList: {
    type: "object",
    properties: {
      status: {
        description: "One service, or every service when the name is `all`",
        anyOf: [serviceDictSchema, { type: "array", items: serviceDictSchema }],
      },
    },
    required: ["status"],
  },
} as const;

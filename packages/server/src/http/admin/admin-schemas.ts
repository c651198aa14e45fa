import type { AdminRouteSpec } from "./route-rules.js";

// JSON schemas of the admin + catalog routes: Fastify validates request input with them, they
// shape the output, and @fastify/swagger turns them into the OpenAPI document. Types and the
// fixed key sets live here; content rules (lengths, empty names, control characters) stay in the
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
};

interface AdminRouteSchemaOptions {
  summary: string;
  tag: "users" | "organization" | "catalog";
  okStatus: 200 | 201;
  ok: object;
  body?: object;
  params?: object;
  errors: ReadonlyArray<keyof typeof ERROR_DESCRIPTIONS>;
}

/** A route schema with the enforcer's 401/403 and the listed 4xx answers documented. */
export function adminRouteSchema(spec: AdminRouteSpec, options: AdminRouteSchemaOptions) {
  const response: Record<number, object> = {
    [options.okStatus]: { description: "Done", ...options.ok },
    401: { description: "No token, or an invalid/expired one", ...denialSchema },
    403: { description: `The token's roles are not granted \`${spec.rule}\``, ...denialSchema },
  };
  for (const status of options.errors) {
    response[status] = { description: ERROR_DESCRIPTIONS[status], ...adminErrorSchema };
  }
  return {
    summary: options.summary,
    description: `Enforcer rule: \`${spec.rule}\``,
    tags: [options.tag],
    security: [{ xAuthToken: [] }, { bearerAuth: [] }],
    ...(options.body ? { body: options.body } : {}),
    ...(options.params ? { params: options.params } : {}),
    response,
  };
}

/** `{ <param>: string }`: one name in the path. */
export function nameParams(param: string) {
  return {
    type: "object",
    properties: { [param]: { type: "string", description: "The record's name" } },
    required: [param],
  } as const;
}

/** A JSON object with exactly these string keys (all required unless listed as optional). */
export function namesBody(required: readonly string[], optional: readonly string[] = []) {
  const properties: Record<string, object> = {};
  for (const key of required) properties[key] = { type: "string" };
  for (const key of optional) properties[key] = nullableString;
  return closedObject({ type: "object", properties, required: [...required] });
}

/**
 * A body with a fixed key set. Fastify's Ajv runs with `removeAdditional`, which silently drops
 * keys a schema forbids through `additionalProperties: false`; `propertyNames` is not subject to
 * that, so an unknown key is refused (400 naming it). `additionalProperties: false` stays for the
 * OpenAPI reader.
 */
function closedObject<T extends { properties: Record<string, unknown> }>(schema: T) {
  return {
    ...schema,
    additionalProperties: false,
    propertyNames: { enum: Object.keys(schema.properties) },
  } as const;
}

export const addUserBody = closedObject({
  type: "object",
  description:
    "`name` (1.8) or `username` (tokenrest) names the user; give one of them (both only if equal)",
  properties: {
    name: { type: "string" },
    username: { type: "string" },
    email: { ...nullableString, description: "Optional, unique" },
    password: { type: "string" },
    wfc: { type: "string", description: "Name of an existing work function context" },
    roles: {
      type: "array",
      items: { type: "string" },
      description: "Names of existing roles",
    },
  },
  required: ["password", "wfc", "roles"],
} as const);

export const updateUserBody = closedObject({
  type: "object",
  description:
    "`username` or `name` names the user; `password` and/or `roles` (the new complete list, all existing) change it. Either change ends the user's login sessions and earlier tokens.",
  properties: {
    name: { type: "string" },
    username: { type: "string" },
    password: { type: "string" },
    roles: { type: "array", items: { type: "string" }, description: "Names of existing roles" },
  },
} as const);

export const deleteUserBody = closedObject({
  type: "object",
  description: "`username` (tokenrest) or `name`",
  properties: { username: { type: "string" }, name: { type: "string" } },
} as const);

export const addServiceBody = closedObject({
  type: "object",
  properties: {
    name: { type: "string" },
    urlint: { type: "string", description: "Internal endpoint URL (service to service)" },
    urlext: { ...nullableString, description: "External endpoint URL (user network)" },
    urladmin: { ...nullableString, description: "Admin endpoint URL (admin network)" },
    password: { ...nullableString, description: "Optional service-account password" },
  },
  required: ["name", "urlint"],
} as const);

export const okSchemas = {
  statusText: statusTextSchema,
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

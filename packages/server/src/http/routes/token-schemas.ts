import { PASSWORD_MAX_LENGTH, USERNAME_MAX_LENGTH } from "@tokenleader/client/settings";
import { NAME_MAX_LENGTH } from "../../services/validation.js";
import { errorBodySchema } from "../error-body.js";

// JSON schemas of the token routes: they validate input (Fastify/Ajv), shape the output, and
// feed the OpenAPI document.

const statusMessage = {
  type: "object",
  properties: { status: { type: "string" }, message: { type: "string" } },
  required: ["status", "message"],
} as const;

const serviceEntry = {
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: "string" },
    endpoint_url_internal: { type: ["string", "null"] },
    endpoint_url_external: { type: ["string", "null"] },
    endpoint_url_admin: { type: ["string", "null"] },
  },
  required: ["id", "name", "endpoint_url_internal", "endpoint_url_external", "endpoint_url_admin"],
} as const;

export const getTokenSchema = {
  summary: "Log in with username and password; returns a signed JWT and the service catalog",
  tags: ["token"],
  body: {
    type: "object",
    properties: {
      // null is accepted (and answered with the original's "missing" reply); numbers are not.
      username: { type: ["string", "null"], maxLength: USERNAME_MAX_LENGTH },
      password: { type: ["string", "null"], maxLength: PASSWORD_MAX_LENGTH },
      // Optional: a token for this service of the catalog only (its `aud`).
      service: {
        type: ["string", "null"],
        maxLength: NAME_MAX_LENGTH,
        description:
          "Name of a service in the catalog: the token carries it as `aud`, and enforcers configured with another audience refuse it (unknown name: 400)",
      },
    },
    required: ["username", "password"],
  },
  response: {
    201: {
      description: "Logged in",
      type: "object",
      properties: {
        status: { type: "string", enum: ["success"] },
        message: { type: "string", enum: ["success"] },
        auth_token: { type: "string" },
        service_catalog: { type: "object", additionalProperties: serviceEntry },
      },
      required: ["status", "message", "auth_token", "service_catalog"],
    },
    400: {
      description: "Missing or malformed credentials, or a service not in the catalog",
      ...errorBodyOrStatus(),
    },
    401: { description: "User not registered / Wrong Password", ...statusMessage },
    429: {
      description:
        "Too many failed password checks for this account or from this address ([login] max_failures_per_account, max_failures_per_source); Retry-After gives the seconds to wait",
      ...statusMessage,
    },
  },
} as const;

export const verifyTokenSchema = {
  summary: "Verify a token (X-Auth-Token header, or Authorization: Bearer)",
  tags: ["token"],
  querystring: {
    type: "object",
    properties: {
      audience: {
        type: "string",
        minLength: 1,
        maxLength: NAME_MAX_LENGTH,
        description:
          "Also require the token to be for this service (its `aud`); without it `aud` is not checked",
      },
    },
  },
  headers: {
    type: "object",
    properties: {
      "x-auth-token": { type: "string" },
      authorization: { type: "string" },
    },
  },
  response: {
    200: {
      description: "Verification Successful; payload = the token's claims",
      type: "object",
      properties: {
        status: { type: "string" },
        message: { type: "string" },
        payload: { type: "object", additionalProperties: true },
      },
      required: ["status", "message", "payload"],
    },
    401: {
      description:
        "Signature expired / Invalid token (payload is a string) or no token header (payload {})",
      type: "object",
      properties: {
        status: { type: "string" },
        message: { type: "string" },
        payload: {},
      },
      required: ["status", "message", "payload"],
    },
  },
} as const;

function errorBodyOrStatus() {
  return { ...errorBodySchema, required: ["status", "message"] };
}

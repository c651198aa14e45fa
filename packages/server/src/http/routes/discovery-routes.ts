import type { FastifyInstance } from "fastify";
import type { AppContext } from "../../app-context.js";
import { JWKS_MAX_AGE_LIMIT_SECONDS, jwksMaxAgeSeconds, type KeySet } from "../../keys/index.js";

// Standard discovery, so any JWT library (jose createRemoteJWKSet, jwks-rsa…) verifies our tokens
// without a copied key. Both documents change only with the key set (a rotation): they are
// serialised once per key set, not per request.

/** The longest time verifiers are told they may cache the key set (see jwksMaxAgeSeconds). */
export const JWKS_MAX_AGE_SECONDS = JWKS_MAX_AGE_LIMIT_SECONDS;

export const JWKS_PATH = "/.well-known/jwks.json";
export const OPENID_CONFIGURATION_PATH = "/.well-known/openid-configuration";

// Held in constants (not inline): `summary`/`tags` are OpenAPI keys that FastifySchema only knows
// once @fastify/swagger is loaded.
// Both bodies are sent pre-serialised (strings), so these response schemas only document them.
const jwksSchema = {
  summary: "Public keys that verify tokens (RFC 7517 JSON Web Key Set)",
  tags: ["discovery"],
  response: {
    200: {
      type: "object",
      properties: {
        keys: { type: "array", items: { type: "object", additionalProperties: true } },
      },
    },
  },
};
const openIdConfigurationSchema = {
  summary: "Discovery document: issuer, JWKS URL, token endpoint, algorithms",
  tags: ["discovery"],
  response: {
    200: {
      type: "object",
      properties: {
        issuer: { type: "string" },
        jwks_uri: { type: "string" },
        token_endpoint: { type: "string" },
        id_token_signing_alg_values_supported: { type: "array", items: { type: "string" } },
      },
      additionalProperties: true,
    },
  },
};

export function registerDiscoveryRoutes(app: FastifyInstance, context: AppContext): void {
  const { settings, keys } = context;
  const base = settings.server.publicUrl.replace(/\/+$/, "");
  // Short enough that a verifier honouring it learns a rotated key before the key signs.
  const cacheControl = `public, max-age=${jwksMaxAgeSeconds(settings.token)}`;
  let documents: { keySet: KeySet; jwks: string; configuration: string } | null = null;
  const current = () => {
    const keySet = keys.current();
    if (documents?.keySet !== keySet) {
      documents = {
        keySet,
        jwks: JSON.stringify(keySet.jwks()),
        configuration: JSON.stringify({
          issuer: settings.token.issuer,
          jwks_uri: `${base}${JWKS_PATH}`,
          token_endpoint: `${base}/token/gettoken`,
          token_verification_endpoint: `${base}/token/verify_token`,
          id_token_signing_alg_values_supported: keySet.algorithms,
          token_endpoint_auth_methods_supported: ["none"],
          claims_supported: ["iss", "sub", "iat", "exp", "jti"],
          grant_types_supported: ["password"],
        }),
      };
    }
    return documents;
  };

  app.get(JWKS_PATH, { schema: jwksSchema }, async (_request, reply) =>
    reply
      .header("cache-control", cacheControl)
      .type("application/json; charset=utf-8")
      .send(current().jwks),
  );

  app.get(
    OPENID_CONFIGURATION_PATH,
    { schema: openIdConfigurationSchema },
    async (_request, reply) =>
      reply
        .header("cache-control", cacheControl)
        .type("application/json; charset=utf-8")
        .send(current().configuration),
  );
}

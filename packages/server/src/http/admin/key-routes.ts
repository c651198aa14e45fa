import type { FastifyEnforcer } from "@tokenleader/enforcer/fastify";
import type { FastifyInstance } from "fastify";
import type { SigningKeyService } from "../../services/index.js";
import { okSchemas, retireKeyBody, rotateKeyBody } from "./admin-schemas.js";
import { addProtectedRoute } from "./protected-route.js";
import { ADMIN_ROUTES } from "./route-rules.js";

// Key rotation through the admin API: the same service calls as `adminops keys list|rotate|retire`.
// Refusals are the service's AppErrors through the app's error handler ({status, message, code}):
// 400 VALIDATION_FAILED, 404 NOT_FOUND (unknown kid), 409 KEY_STILL_NEEDED (the only signing key).

export function registerKeyRoutes(
  app: FastifyInstance,
  enforcer: FastifyEnforcer,
  signingKeys: SigningKeyService,
): void {
  const { listKeys, rotateKey, retireKey } = ADMIN_ROUTES;

  addProtectedRoute(app, enforcer, listKeys, {
    summary: "List the signing keys: which signs, which are published, until when",
    tag: "keys",
    okStatus: 200,
    ok: okSchemas.keys,
    errors: [],
    handler: async () => ({ status: await signingKeys.list() }),
  });

  addProtectedRoute(app, enforcer, rotateKey, {
    summary: "Add a signing key: published in the JWKS at once, signing after the lead time",
    tag: "keys",
    okStatus: 201,
    ok: okSchemas.key,
    body: rotateKeyBody,
    errors: [400, 409, 503],
    errorDescriptions: {
      409: "Another rotation was stored at the same moment",
      503: "This server keeps its keys in files: no key-encryption key to seal a new key with",
    },
    handler: async (request, reply) => {
      const body = request.body ?? {};
      const key = await signingKeys.rotate({
        ...(body.algorithm !== undefined ? { algorithm: body.algorithm } : {}),
        ...(body.lead_time_seconds !== undefined ? { leadSeconds: body.lead_time_seconds } : {}),
      });
      request.log.info(
        { kid: key.kid, algorithm: key.algorithm, activatesAt: key.activatesAt },
        "signing key rotated",
      );
      return reply.code(201).send({ status: key });
    },
  });

  addProtectedRoute(app, enforcer, retireKey, {
    summary: "Stop signing with a key; published until the last token it signed has expired",
    tag: "keys",
    okStatus: 200,
    ok: okSchemas.key,
    body: retireKeyBody,
    errors: [400, 404, 409],
    errorDescriptions: {
      404: "No signing key has that kid",
      409: "The key is the only one signing now: rotate first, retire once the new key signs",
    },
    handler: async (request) => {
      const { kid, published_for_seconds } = request.body;
      const key = await signingKeys.retire(kid, {
        ...(published_for_seconds !== undefined
          ? { publishedForSeconds: published_for_seconds }
          : {}),
      });
      request.log.info({ kid: key.kid, publishedUntil: key.publishedUntil }, "signing key retired");
      return { status: key };
    },
  });
}

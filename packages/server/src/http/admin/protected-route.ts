import type { FastifyEnforcer } from "@tokenleader/enforcer/fastify";
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
} from "fastify";
import type { AdminRouteSpec } from "./route-rules.js";

export type AdminHandler = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/**
 * Declares one route of the route table behind the enforcer. The check runs in `onRequest`,
 * before the body is parsed or validated: an anonymous caller gets 401 (not a 400 about its
 * body) and cannot make the server parse what it sends.
 */
export function addProtectedRoute(
  app: FastifyInstance,
  enforcer: FastifyEnforcer,
  spec: AdminRouteSpec,
  schema: object,
  handler: AdminHandler,
): void {
  app.route({
    method: spec.method,
    url: spec.url,
    schema,
    onRequest: enforcer.enforce(spec.rule) as unknown as onRequestAsyncHookHandler,
    handler,
  });
}

import type { FastifyEnforcer } from "@tokenleader/enforcer/fastify";
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
} from "fastify";
import type { z } from "zod";
import { runAsAuditActor } from "../../audit/index.js";
import type { RefusalContext } from "./admin-error-body.js";
import { type AdminRouteDoc, adminRouteSchema } from "./admin-schemas.js";
import type { AdminRouteSpec } from "./route-rules.js";

/**
 * The request of an admin route, typed by the route's own body and path schemas: Fastify has
 * validated both against the JSON Schema made from these zod schemas before the handler runs.
 */
export type AdminRequest<Body extends z.ZodType, Params extends z.ZodType> = FastifyRequest & {
  body: z.input<Body>;
  params: z.input<Params>;
};

export interface AdminRoute<Body extends z.ZodType, Params extends z.ZodType>
  extends AdminRouteDoc {
  body?: Body;
  params?: Params;
  /**
   * What the route does, so that the admin error handler can word a service refusal (an
   * AppError it throws) like the original's reply. Routes that refuse nothing leave it out.
   */
  refusal?: (request: AdminRequest<Body, Params>) => RefusalContext;
  handler: (request: AdminRequest<Body, Params>, reply: FastifyReply) => Promise<unknown>;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Set on admin routes (see AdminRoute.refusal); read by the admin error handler. */
    adminRefusal?: (request: FastifyRequest) => RefusalContext;
  }
}

/**
 * Declares one route of the route table behind the enforcer. The check runs in `onRequest`,
 * before the body is parsed or validated: an anonymous caller gets 401 (not a 400 about its
 * body) and cannot make the server parse what it sends.
 */
export function addProtectedRoute<
  Body extends z.ZodType = z.ZodUnknown,
  Params extends z.ZodType = z.ZodUnknown,
>(
  app: FastifyInstance,
  enforcer: FastifyEnforcer,
  spec: AdminRouteSpec,
  route: AdminRoute<Body, Params>,
): void {
  const { handler, refusal, ...doc } = route;
  // The one place the validated request meets its schema's type (what a type provider does).
  const typed = (request: FastifyRequest) => request as AdminRequest<Body, Params>;
  app.route({
    method: spec.method,
    url: spec.url,
    schema: adminRouteSchema(spec, doc),
    config: refusal ? { adminRefusal: (request) => refusal(typed(request)) } : {},
    onRequest: enforcer.enforce(spec.rule) as unknown as onRequestAsyncHookHandler,
    // The service layer records admin changes with the token's user as the actor.
    handler: (request, reply) =>
      runAsAuditActor(
        { actor: request.tokenleader?.user.username ?? "unknown", sourceAddress: request.ip },
        () => handler(typed(request), reply),
      ),
  });
}

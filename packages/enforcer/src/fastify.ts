import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
  RouteGenericInterface,
  RouteHandlerMethod,
} from "fastify";
import type { TokenleaderContext, WorkFunctionContext } from "./context.js";
import {
  assertRuleName,
  buildEnforcer,
  type EnforcementResult,
  type Enforcer,
  type EnforcerOptions,
  type Verdict,
} from "./enforcer.js";

// Only types come from fastify (an optional peer dependency): this module never loads it, and the
// plugin marks itself "skip-override" by hand so fastify-plugin is not needed at run time either.

declare module "fastify" {
  interface FastifyRequest {
    /** Set by `enforce(rule)` on the requests it admits; null elsewhere. */
    wfc: WorkFunctionContext | null;
    /** Set by `enforce(rule)`: the user, claims, rule and granting role; null elsewhere. */
    tokenleader: TokenleaderContext | null;
  }
}

export type FastifyEnforcerPlugin = ((app: FastifyInstance) => Promise<void>) & {
  [key: symbol]: unknown;
};

/** A request the enforcer admitted: `wfc` and `tokenleader` are always there. */
export type EnforcedFastifyRequest<
  RouteGeneric extends RouteGenericInterface = RouteGenericInterface,
> = FastifyRequest<RouteGeneric> & {
  wfc: WorkFunctionContext;
  tokenleader: TokenleaderContext;
};

/** A route handler behind the enforcer. */
export type EnforcedRouteHandler<
  RouteGeneric extends RouteGenericInterface = RouteGenericInterface,
> = (
  this: FastifyInstance,
  request: EnforcedFastifyRequest<RouteGeneric>,
  reply: FastifyReply<RouteGeneric>,
) => unknown;

/** Route options (`app.get(url, options)`, or spread into `app.route({...})`). */
export interface EnforcedRouteOptions<
  RouteGeneric extends RouteGenericInterface = RouteGenericInterface,
> {
  preHandler: preHandlerAsyncHookHandler;
  handler: RouteHandlerMethod<
    FastifyInstance["server"],
    FastifyRequest["raw"],
    FastifyReply["raw"],
    RouteGeneric
  >;
}

export interface FastifyEnforcer extends Enforcer {
  /**
   * Register once (`await app.register(enforcer.plugin)`): declares `request.wfc` and
   * `request.tokenleader` on the whole app and stops the ACL watcher when the app closes.
   */
  plugin: FastifyEnforcerPlugin;
  /** A preHandler admitting only requests whose token grants `rule`. */
  enforce(rule: string): preHandlerAsyncHookHandler;
  /**
   * `enforce(rule)` as the preHandler plus the handler, as route options: the handler runs only for
   * admitted requests, so `request.wfc` and `request.tokenleader` are typed as present (no `!`
   * under strict TypeScript). `app.get("/x", enforcer.protect("rule", async (request) => …))`.
   */
  protect<RouteGeneric extends RouteGenericInterface = RouteGenericInterface>(
    rule: string,
    handler: EnforcedRouteHandler<RouteGeneric>,
  ): EnforcedRouteOptions<RouteGeneric>;
}

export function createEnforcer(options: EnforcerOptions = {}): FastifyEnforcer {
  const { enforcer: core, checkNow } = buildEnforcer(options);

  const plugin = Object.assign(async (app: FastifyInstance) => {
    if (!app.hasRequestDecorator("wfc")) app.decorateRequest("wfc", null);
    if (!app.hasRequestDecorator("tokenleader")) app.decorateRequest("tokenleader", null);
    app.addHook("onClose", async () => core.close());
  }, {}) as FastifyEnforcerPlugin;
  // What fastify-plugin sets: decorations apply to the registering scope, not a child context.
  plugin[Symbol.for("skip-override")] = true;
  plugin[Symbol.for("fastify.display-name")] = "@tokenleader/enforcer";
  plugin[Symbol.for("plugin-meta")] = { name: "@tokenleader/enforcer", fastify: "5.x" };

  const enforce = (rule: string): preHandlerAsyncHookHandler => {
    assertRuleName(rule);
    const apply = (request: FastifyRequest, reply: FastifyReply, result: EnforcementResult) => {
      if (!result.allowed) {
        const { status, headers, body } = core.denialResponse(result);
        reply.code(status).headers(headers).send(body);
        return false;
      }
      request.wfc = result.context.wfc;
      request.tokenleader = result.context;
      return true;
    };
    // Fastify passes `done`: a verdict that needed no waiting is applied at once, with no promise
    // (a denial is sent and `done` not called, as Fastify asks of callback hooks). Called as the
    // async hook its type promises (two arguments, from a host's own hook), it returns a promise.
    function tokenleaderEnforce(
      request: FastifyRequest,
      reply: FastifyReply,
      done?: (err?: Error) => void,
    ): Promise<void> | undefined {
      // request.ip is the client address under the app's trustProxy setting (socket peer by default).
      const requestLike = {
        method: request.method,
        headers: request.headers,
        clientAddress: request.ip,
        params: request.params as Record<string, unknown>,
      };
      let verdict: Verdict;
      try {
        verdict = checkNow(requestLike, rule);
      } catch (err) {
        // Only an error of the host's isTokenActive gets here: its error handler answers.
        if (done === undefined) return Promise.reject(err);
        done(err as Error);
        return undefined;
      }
      if (done === undefined || verdict instanceof Promise) {
        return Promise.resolve(verdict).then((result) => {
          apply(request, reply, result);
        });
      }
      if (apply(request, reply, verdict)) done();
      return undefined;
    }
    return tokenleaderEnforce as unknown as preHandlerAsyncHookHandler;
  };

  return {
    ...core,
    plugin,
    enforce,
    protect<RouteGeneric extends RouteGenericInterface = RouteGenericInterface>(
      rule: string,
      handler: EnforcedRouteHandler<RouteGeneric>,
    ): EnforcedRouteOptions<RouteGeneric> {
      // The preHandler answers every request it does not admit, so the handler only ever sees
      // requests with wfc and tokenleader set.
      return {
        preHandler: enforce(rule),
        handler: handler as EnforcedRouteOptions<RouteGeneric>["handler"],
      };
    },
  };
}

export { EnforcerError } from "./errors.js";
export type { EnforcerOptions, TokenleaderContext, WorkFunctionContext };

import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
} from "fastify";
import type { TokenleaderContext, WorkFunctionContext } from "./context.js";
import {
  assertRuleName,
  createEnforcer as createCoreEnforcer,
  type Enforcer,
  type EnforcerOptions,
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

export interface FastifyEnforcer extends Enforcer {
  /**
   * Register once (`await app.register(enforcer.plugin)`): declares `request.wfc` and
   * `request.tokenleader` on the whole app and stops the ACL watcher when the app closes.
   */
  plugin: FastifyEnforcerPlugin;
  /** A preHandler admitting only requests whose token grants `rule`. */
  enforce(rule: string): preHandlerAsyncHookHandler;
}

export function createEnforcer(options: EnforcerOptions = {}): FastifyEnforcer {
  const core = createCoreEnforcer(options);

  const plugin = Object.assign(async (app: FastifyInstance) => {
    if (!app.hasRequestDecorator("wfc")) app.decorateRequest("wfc", null);
    if (!app.hasRequestDecorator("tokenleader")) app.decorateRequest("tokenleader", null);
    app.addHook("onClose", async () => core.close());
  }, {}) as FastifyEnforcerPlugin;
  // What fastify-plugin sets: decorations apply to the registering scope, not a child context.
  plugin[Symbol.for("skip-override")] = true;
  plugin[Symbol.for("fastify.display-name")] = "@tokenleader/enforcer";
  plugin[Symbol.for("plugin-meta")] = { name: "@tokenleader/enforcer", fastify: "5.x" };

  return {
    ...core,
    plugin,
    enforce(rule: string): preHandlerAsyncHookHandler {
      assertRuleName(rule);
      return async function tokenleaderEnforce(request: FastifyRequest, reply: FastifyReply) {
        const result = await core.check(
          {
            method: request.method,
            headers: request.headers,
            remoteAddress: request.socket?.remoteAddress,
          },
          rule,
        );
        if (!result.allowed) {
          const { status, headers, body } = core.denialResponse(result);
          return reply.code(status).headers(headers).send(body);
        }
        request.wfc = result.context.wfc;
        request.tokenleader = result.context;
      };
    },
  };
}

export { EnforcerError } from "./errors.js";
export type { EnforcerOptions, TokenleaderContext, WorkFunctionContext };

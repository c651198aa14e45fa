import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { TokenleaderContext, WorkFunctionContext } from "./context.js";
import type { Denial } from "./denial.js";
import {
  assertRuleName,
  buildEnforcer,
  type EnforcementResult,
  type Enforcer,
  type EnforcerOptions,
  type Verdict,
} from "./enforcer.js";
import type { RequestLike } from "./request.js";

// Only types come from express (an optional peer dependency): this module never loads it.

declare global {
  namespace Express {
    interface Request {
      /** Set by `enforce(rule)` on the requests it admits. */
      wfc?: WorkFunctionContext;
      /** Set by `enforce(rule)`: the user, claims, rule and granting role. */
      tokenleader?: TokenleaderContext;
    }
  }
}

/** A request the enforcer admitted: `wfc` and `tokenleader` are always there. */
export type EnforcedRequest<R extends Request = Request> = R & {
  wfc: WorkFunctionContext;
  tokenleader: TokenleaderContext;
};

/** A handler behind the enforcer; what it returns is ignored, a rejected promise goes to `next`. */
export type EnforcedHandler = (req: EnforcedRequest, res: Response, next: NextFunction) => unknown;

export interface ExpressEnforcer extends Enforcer {
  /** Middleware admitting only requests whose token grants `rule`; sets `req.wfc`/`req.tokenleader`. */
  enforce(rule: string): RequestHandler;
  /**
   * `enforce(rule)` and the handler in one: the handler runs only for admitted requests, so
   * `req.wfc` and `req.tokenleader` are typed as present (no `!` under strict TypeScript).
   */
  protect(rule: string, handler: EnforcedHandler): RequestHandler;
}

export function createEnforcer(options: EnforcerOptions = {}): ExpressEnforcer {
  const { enforcer: core, checkNow } = buildEnforcer(options);

  const sendDenial = (res: Response, denial: Denial) => {
    const { status, headers, body } = core.denialResponse(denial);
    res.status(status).set(headers).send(body);
  };

  const enforce = (rule: string): RequestHandler => {
    assertRuleName(rule);
    const apply = (req: Request, res: Response, next: NextFunction, result: EnforcementResult) => {
      if (!result.allowed) return sendDenial(res, result);
      req.wfc = result.context.wfc;
      req.tokenleader = result.context;
      next();
    };
    return (req: Request, res: Response, next: NextFunction) => {
      let verdict: Verdict;
      try {
        verdict = checkNow(toRequestLike(req), rule);
      } catch (err) {
        // Only an error of the host's isTokenActive gets here: its error handler answers.
        return next(err);
      }
      // A verdict that needed no waiting is applied at once, without a promise.
      if (verdict instanceof Promise) verdict.then((result) => apply(req, res, next, result), next);
      else apply(req, res, next, verdict);
    };
  };

  return {
    ...core,
    enforce,
    protect(rule: string, handler: EnforcedHandler): RequestHandler {
      const gate = enforce(rule);
      return (req, res, next) => {
        gate(req, res, (err?: unknown) => {
          if (err !== undefined) return next(err);
          try {
            Promise.resolve(handler(req as EnforcedRequest, res, next)).catch(next);
          } catch (error) {
            next(error);
          }
        });
      };
    },
  };
}

function toRequestLike(req: Request): RequestLike {
  // req.ip is the client address under the app's "trust proxy" setting (socket peer by default).
  return { method: req.method, headers: req.headers, clientAddress: req.ip, params: req.params };
}

export { EnforcerError } from "./errors.js";
export type { EnforcerOptions, TokenleaderContext, WorkFunctionContext };

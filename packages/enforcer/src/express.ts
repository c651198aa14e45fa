import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { TokenleaderContext, WorkFunctionContext } from "./context.js";
import type { Denial } from "./denial.js";
import {
  assertRuleName,
  createEnforcer as createCoreEnforcer,
  type Enforcer,
  type EnforcerOptions,
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

export interface ExpressEnforcer extends Enforcer {
  /** Middleware admitting only requests whose token grants `rule`; sets `req.wfc`/`req.tokenleader`. */
  enforce(rule: string): RequestHandler;
}

export function createEnforcer(options: EnforcerOptions = {}): ExpressEnforcer {
  const core = createCoreEnforcer(options);

  const sendDenial = (res: Response, denial: Denial) => {
    const { status, headers, body } = core.denialResponse(denial);
    res.status(status).set(headers).send(body);
  };

  return {
    ...core,
    enforce(rule: string): RequestHandler {
      assertRuleName(rule);
      return (req: Request, res: Response, next: NextFunction) => {
        core.check(toRequestLike(req), rule).then((result) => {
          if (!result.allowed) return sendDenial(res, result);
          req.wfc = result.context.wfc;
          req.tokenleader = result.context;
          next();
        }, next);
      };
    },
  };
}

function toRequestLike(req: Request): RequestLike {
  return { method: req.method, headers: req.headers, remoteAddress: req.socket?.remoteAddress };
}

export { EnforcerError } from "./errors.js";
export type { EnforcerOptions, TokenleaderContext, WorkFunctionContext };

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ERROR_TABLE, type ErrorCode, toAppError } from "../errors.js";
import { errorBody } from "./error-body.js";
import { createRepeatedErrorLog, repeatedErrorKey } from "./repeated-error-log.js";
import type { RouteRegistry } from "./route-registry.js";

// One error handler for the whole app. Client mistakes become 4xx JSON naming the problem; any
// other failure is a 5xx with a generic message (the details go to the log, never to the client).
// Database faults are 503 with Retry-After (DB_UNAVAILABLE): expected and temporary; a 500 is a
// bug. The same 5xx error repeated within 10 s is logged once, then counted.

/** Seconds a client should wait before trying again after a 503. */
export const RETRY_AFTER_SECONDS = 1;

export function installErrorHandling(app: FastifyInstance, registry: RouteRegistry): void {
  const repeatedErrors = createRepeatedErrorLog(() => app.log);
  app.addHook("onClose", async () => repeatedErrors.flush());
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const clientError = describeClientError(error);
    if (clientError) {
      request.log.info({ code: clientError.code, reason: clientError.message }, "request rejected");
      return sendError(reply, clientError.httpStatus, clientError.code, clientError.message);
    }
    const appError = toAppError(error);
    if (appError.retryAfterSec !== undefined) {
      // A refusal of load (BUSY), not a failure: no stack trace; sendError says when to retry.
      request.log.warn({ code: appError.code }, "request refused: server busy");
    } else if (appError.httpStatus >= 500) {
      const key = repeatedErrorKey(appError.code, appError.code === "INTERNAL" ? error : appError);
      repeatedErrors.report(
        key,
        { err: error, code: appError.code, reqId: request.id, url: request.url },
        appError.code === "INTERNAL" ? "request failed" : `request failed: ${appError.message}`,
      );
    } else {
      request.log.info({ code: appError.code, reason: appError.message }, "request rejected");
    }
    return sendError(
      reply,
      appError.httpStatus,
      appError.code,
      appError.publicMessage,
      appError.retryAfterSec,
    );
  });

  app.setNotFoundHandler(async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split("?", 1)[0] ?? "/";
    const allowed = registry.methodsFor(path);
    if (allowed.length > 0) {
      reply.header("allow", allowed.join(", "));
      return sendError(
        reply,
        405,
        "METHOD_NOT_ALLOWED",
        `${request.method} is not allowed on ${path}; use ${allowed.join(" or ")}`,
      );
    }
    return sendError(reply, 404, "ROUTE_NOT_FOUND", `no route ${request.method} ${path}`);
  });
}

/**
 * Fastify's `frameworkErrors`: requests refused before routing. A malformed percent-escape in the
 * path (`/delete/org/%FF`) or a too-long path value is a 400 with the same body as the admin API's
 * other input refusals (`field: "path"`), instead of Fastify's own error body.
 */
export function handleFrameworkError(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const message =
    error.code === "FST_ERR_MAX_PARAM_LENGTH"
      ? "the request path is not valid: a value in it is too long"
      : error.code === "FST_ERR_BAD_URL"
        ? "the request path is not valid: it has a malformed percent-escape (%XX sequences must encode UTF-8 text)"
        : null;
  if (message === null) {
    request.log.error({ err: error }, "request failed");
    sendError(reply, 500, "INTERNAL", ERROR_TABLE.INTERNAL.message);
    return;
  }
  request.log.info({ code: "VALIDATION_FAILED", reason: error.code }, "request rejected");
  reply
    .code(400)
    .header("cache-control", "no-store")
    .type("application/json; charset=utf-8")
    .send({ ...errorBody("VALIDATION_FAILED", message), field: "path" });
}

/** A 503 always tells the client when to retry: the error's own delay, else the default. */
function sendError(
  reply: FastifyReply,
  httpStatus: number,
  code: ErrorCode,
  message: string,
  retryAfterSec?: number,
) {
  if (httpStatus === 503) {
    reply.header("retry-after", String(retryAfterSec ?? RETRY_AFTER_SECONDS));
  }
  return reply
    .code(httpStatus)
    .header("cache-control", "no-store")
    .type("application/json; charset=utf-8")
    .send(errorBody(code, message));
}

interface ClientError {
  httpStatus: number;
  code: ErrorCode;
  message: string;
}

/** Fastify's own request errors (validation, body parsing, size), worded for the caller. */
function describeClientError(error: FastifyError): ClientError | null {
  if (error.validation) {
    return { httpStatus: 400, code: "VALIDATION_FAILED", message: error.message };
  }
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        httpStatus: 400,
        code: "BAD_REQUEST",
        message: "the request body must be JSON: send it with Content-Type: application/json",
      };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return {
        httpStatus: 400,
        code: "BAD_REQUEST",
        message: "the request body is empty: send a JSON object",
      };
    case "TL_FORBIDDEN_JSON_KEY":
      return {
        httpStatus: 400,
        code: "BAD_REQUEST",
        message: "the request body contains a forbidden key (__proto__ or constructor.prototype)",
      };
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return {
        httpStatus: 400,
        code: "BAD_REQUEST",
        message: "the request body is not valid JSON",
      };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        httpStatus: 413,
        code: "PAYLOAD_TOO_LARGE",
        message: "the request body is larger than the server accepts",
      };
  }
  // JSON.parse failures surface as SyntaxError with statusCode 400.
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return { httpStatus: 400, code: "BAD_REQUEST", message: "the request body is not valid JSON" };
  }
  const status = error.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    return { httpStatus: status, code: codeForStatus(status), message: error.message };
  }
  return null;
}

function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return "AUTH_FAILED";
    case 403:
      return "FORBIDDEN";
    case 404:
      return "NOT_FOUND";
    case 405:
      return "METHOD_NOT_ALLOWED";
    case 413:
      return "PAYLOAD_TOO_LARGE";
    case 415:
      return "UNSUPPORTED_MEDIA_TYPE";
    case 429:
      return "RATE_LIMITED";
    default:
      return "BAD_REQUEST";
  }
}

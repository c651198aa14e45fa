import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { type AppError, ERROR_TABLE, type ErrorCode, toAppError } from "../../errors.js";
import { type EntityKind, originalMessages } from "../../services/index.js";

// How the admin API answers a refusal: an HTTP 4xx whose JSON body keeps the original's
// `status` text where the original had one (so scripts that parse it keep working), plus a
// readable `message`, a stable `code` and, for input problems, the request `field` at fault.
// SQL and stack text never reach these bodies: messages come from AppError (4xx only).

export interface AdminErrorBody {
  status: string | Record<string, string>;
  message: string;
  code: ErrorCode;
  field?: string;
}

/** What the route was doing, so a refusal can be worded like the original's reply. */
export interface RefusalContext {
  operation: "add" | "delete" | "get" | "update";
  kind: EntityKind;
  /** The record's name as the caller sent it (the texts use it trimmed, as the service saves it). */
  name: string;
  /** Service-layer input names → the request keys of this route (e.g. urlInternal → urlint). */
  fields?: Readonly<Record<string, string>>;
}

/** The 4xx answer for a service-layer refusal. */
function sendRefusal(reply: FastifyReply, error: AppError, refusal: RefusalContext) {
  const body: AdminErrorBody = {
    status: originalStatus(error.code, error.message, refusal),
    message: error.message,
    code: error.code,
  };
  // The service names its own inputs ("name", "roles.0"); the caller sent "oname", "roles".
  const requestKey = (field: string) => {
    const head = field.split(".")[0] ?? field;
    return refusal.fields?.[head] ?? head;
  };
  if (error.field !== undefined) body.field = requestKey(error.field);
  const details = error.details ?? [];
  if (error.code === "VALIDATION_FAILED" && details.length > 0) {
    body.message = details
      .map((detail) => `${requestKey(detail.field)} ${detail.problem}`)
      .join("; ");
  }
  return reply
    .code(error.httpStatus)
    .header("cache-control", "no-store")
    .type("application/json; charset=utf-8")
    .send(body);
}

function originalStatus(
  code: ErrorCode,
  message: string,
  { operation, kind, name: sentName }: RefusalContext,
): AdminErrorBody["status"] {
  const name = sentName.trim();
  switch (code) {
    case "NOT_FOUND":
      if (operation === "delete") return originalMessages.deleteTargetMissing();
      return kind === "service"
        ? originalMessages.noServiceRegistered()
        : originalMessages.noSuchRecord();
    case "ALREADY_EXISTS":
      return kind === "service"
        ? originalMessages.serviceIntegrityError(name)
        : originalMessages.integrityError(name, message);
    case "STILL_REFERENCED":
      return originalMessages.couldNotDelete(name, message);
    case "UNKNOWN_REFERENCE":
      // The original had no update route; its registration wording would be wrong there.
      if (operation === "update") return ERROR_TABLE[code].message;
      return originalMessages.couldNotRegister(name, message);
    default:
      return ERROR_TABLE[code].message;
  }
}

/** A 400 for a request the route itself refuses (before the service layer sees it). */
export function sendBadInput(
  reply: FastifyReply,
  field: string,
  message: string,
  status: string = ERROR_TABLE.VALIDATION_FAILED.message,
) {
  const body: AdminErrorBody = {
    status,
    message,
    code: "VALIDATION_FAILED",
    field,
  };
  return reply
    .code(400)
    .header("cache-control", "no-store")
    .type("application/json; charset=utf-8")
    .send(body);
}

interface SchemaProblem {
  keyword: string;
  /** Set by Ajv on failures of `propertyNames` (an unknown key). */
  propertyName?: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * The one error handler of the admin scope. Schema (Ajv) failures become 400s naming the field;
 * a refusal of the service layer (an AppError, or a library error it translates to one) becomes
 * the route's admin error body (its RefusalContext). Everything else — 5xx, body parsing, routes
 * that refuse nothing — goes on to the app's error handler (a child handler that throws hands the
 * error to its parent).
 */
export function installAdminErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = error.validation?.[0] as SchemaProblem | undefined;
    if (problem) return sendSchemaProblem(request, reply, problem, error.validationContext);
    const refusal = request.routeOptions.config.adminRefusal;
    // Anything toAppError does not know (a FastifyError, a bug) becomes INTERNAL: rethrown.
    const appError = toAppError(error);
    if (!refusal || appError.httpStatus >= 500) throw error;
    return sendRefusal(reply, appError, refusal(request));
  });
}

function sendSchemaProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: SchemaProblem,
  where: string = "body",
) {
  const { field, message } = describeSchemaProblem(problem, where);
  if (problem.keyword === "required" && where === "body") {
    // Scripts of the original parse this exact status text (reference §3.6).
    const schema = request.routeOptions.schema?.body as { required?: string[] } | undefined;
    const required = schema?.required ?? [String(problem.params.missingProperty)];
    return sendBadInput(reply, field, message, originalMessages.requiredKeysMissing(required));
  }
  return sendBadInput(reply, field, message);
}

function describeSchemaProblem(problem: SchemaProblem, where: string) {
  const path = problem.instancePath.split("/").filter(Boolean).join(".");
  if (problem.keyword === "required") {
    const missing = String(problem.params.missingProperty);
    const field = path ? `${path}.${missing}` : missing;
    return { field, message: `${where}: the key "${field}" is required` };
  }
  if (problem.propertyName !== undefined || problem.keyword === "additionalProperties") {
    const extra = String(problem.propertyName ?? problem.params.additionalProperty);
    const field = path ? `${path}.${extra}` : extra;
    return { field, message: `${where}: the key "${field}" is not allowed on this route` };
  }
  const field = path || where;
  return { field, message: `${where}: ${field} ${problem.message ?? "is not valid"}` };
}

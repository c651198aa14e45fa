import {
  audienceProblem,
  invalidResult,
  missingTokenHeaderResponse,
  VERIFY_STATUS,
} from "@tokenleader/client";
import { escapeControlCharacters } from "@tokenleader/client/terminal";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { AppContext } from "../../app-context.js";
import { recordLoginFailed, recordLoginLimited } from "../../audit/index.js";
import { serverMetrics } from "../../metrics/index.js";
import { errorBody } from "../error-body.js";
import { getTokenSchema, verifyTokenSchema } from "./token-schemas.js";
import {
  GETTOKEN_MISSING,
  GETTOKEN_SUCCESS,
  GETTOKEN_UNKNOWN_USER,
  GETTOKEN_WRONG_PASSWORD,
  gettokenLimited,
} from "./token-wire-strings.js";

// The two public routes of the original (reference §3.2, §3.3) with its exact bodies. Status
// codes differ on purpose: failures are 401/400 instead of 200, verification success is 200
// instead of 201 (clients of the original read only the body).

interface GetTokenBody {
  username: string | null;
  password: string | null;
  /** A service of the catalog the token is for (`aud`); absent or null: any service. */
  service?: string | null;
}

export function registerTokenRoutes(app: FastifyInstance, context: AppContext): void {
  const { adminService, audit, guessing, sessions, tokenIssuer, tokenVerifier } = context;

  app.post<{ Body: GetTokenBody }>(
    "/token/gettoken",
    { schema: getTokenSchema },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      const { username, password } = request.body;
      if (username === null || password === null) {
        return reply.code(400).send(GETTOKEN_MISSING);
      }
      const guarded = await guessing.check(
        { account: username, source: request.ip },
        () => adminService.authenticate(username, password),
        (checked) =>
          checked.ok ? "success" : checked.reason === "missing" ? "no-guess" : "failure",
      );
      if (guarded.limited) {
        serverMetrics.login("gettoken", "limited");
        request.log.info(
          { username: escapeControlCharacters(username), reason: "limited" },
          "login refused",
        );
        await recordLoginLimited(audit, {
          username,
          sourceAddress: request.ip,
          via: "gettoken",
          reason: "limited",
        });
        return reply
          .code(429)
          .header("retry-after", String(guarded.retryAfterSec))
          .send(gettokenLimited(guarded.retryAfterSec));
      }
      const result = guarded.result;
      if (!result.ok) {
        serverMetrics.login("gettoken", "failure");
        request.log.info(
          { username: escapeControlCharacters(username), reason: result.reason },
          "login refused",
        );
        await recordLoginFailed(audit, {
          username,
          sourceAddress: request.ip,
          via: "gettoken",
          reason: result.reason,
        });
        if (result.reason === "missing") return reply.code(400).send(GETTOKEN_MISSING);
        return reply
          .code(401)
          .send(result.reason === "unknown_user" ? GETTOKEN_UNKNOWN_USER : GETTOKEN_WRONG_PASSWORD);
      }
      // Checked after the password, so the catalog's names are not told to strangers.
      const catalog = await adminService.serviceCatalog();
      const service = request.body.service ?? undefined;
      if (service !== undefined && !Object.hasOwn(catalog, service)) {
        return reply
          .code(400)
          .send(
            errorBody(
              "VALIDATION_FAILED",
              `service ${JSON.stringify(escapeControlCharacters(service))} is not in the service catalog`,
            ),
          );
      }
      serverMetrics.login("gettoken", "success");
      const { token, claims } = await tokenIssuer.issueToken(
        result.user,
        result.tokensValidAfterMs,
        { audience: service },
      );
      request.log.info(
        { username: escapeControlCharacters(username), jti: claims.jti, aud: service },
        "token issued",
      );
      await audit.record({
        type: "token.issued",
        outcome: "success",
        actor: username,
        target: username,
        sourceAddress: request.ip,
        details: { jti: claims.jti, ...(service === undefined ? {} : { aud: service }) },
      });
      return reply.code(201).send({
        ...GETTOKEN_SUCCESS,
        auth_token: token,
        service_catalog: catalog,
      });
    },
  );

  app.get<{ Querystring: { audience?: string } }>(
    "/token/verify_token",
    { schema: verifyTokenSchema },
    async (request, reply) => {
      reply.header("cache-control", "no-store");
      const token = tokenFromHeaders(request);
      if (token === null) {
        serverMetrics.verification({ accepted: false, reason: "missing_token" });
        return reply.code(401).send(missingTokenHeaderResponse());
      }
      const verified = await tokenVerifier.verify(token);
      // Cookie-login tokens (with `sid`) die with their session: logout, refresh-token re-use, a
      // changed or removed user. Refresh tokens are never valid here.
      const sessionEnded =
        verified.status === VERIFY_STATUS.success &&
        !(await sessions.isTokenActive(verified.payload));
      // `?audience=`: the caller stands for one service and accepts only tokens meant for it.
      const wrongAudience =
        verified.status === VERIFY_STATUS.success && !sessionEnded
          ? audienceProblem(verified.payload, { audience: request.query.audience })
          : null;
      const result = sessionEnded
        ? invalidResult("claims_invalid", "the token's login session has ended")
        : wrongAudience !== null
          ? invalidResult("claims_invalid", wrongAudience)
          : verified;
      serverMetrics.verification(
        result.status === VERIFY_STATUS.success
          ? { accepted: true }
          : {
              accepted: false,
              reason: sessionEnded
                ? "session_ended"
                : wrongAudience
                  ? "wrong_audience"
                  : result.reason,
            },
      );
      if (result.status === VERIFY_STATUS.success) {
        return reply.code(200).send({
          status: result.status,
          message: result.message,
          payload: result.payload,
        });
      }
      request.log.info(
        { reason: result.reason, detail: "detail" in result ? result.detail : undefined },
        "token rejected",
      );
      return reply
        .code(401)
        .send({ status: result.status, message: result.message, payload: result.payload });
    },
  );
}

/**
 * X-Auth-Token as in the original; `Authorization: Bearer` as standard clients send it. An empty
 * X-Auth-Token is a token (an invalid one), as in the original; null means no header at all.
 */
function tokenFromHeaders(request: FastifyRequest): string | null {
  const header = request.headers["x-auth-token"];
  if (header !== undefined) return (Array.isArray(header) ? header[0] : header)?.trim() ?? "";
  const authorization = request.headers.authorization;
  if (authorization === undefined) return null;
  const match = /^Bearer\s+(.*)$/i.exec(authorization.trim());
  return match ? match[1]!.trim() : null;
}

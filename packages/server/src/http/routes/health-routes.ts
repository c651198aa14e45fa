import type { FastifyInstance } from "fastify";
import type { ReadinessProbe } from "../readiness.js";

// Liveness and readiness for orchestrators and load balancers. /healthz never touches the
// database (a slow database must not get the process restarted); /readyz does.

const checkSchema = {
  type: "object",
  properties: { ok: { type: "boolean" }, detail: { type: "string" } },
} as const;

const readinessBody = {
  type: "object",
  properties: {
    status: { type: "string" },
    checks: { type: "object", additionalProperties: checkSchema },
  },
} as const;

const healthzSchema = {
  summary: "Liveness: the process is up",
  tags: ["health"],
  response: { 200: { type: "object", properties: { status: { type: "string" } } } },
};

const readyzSchema = {
  summary: "Readiness: database reachable, migrations applied, signing key loaded",
  tags: ["health"],
  response: { 200: readinessBody, 503: readinessBody },
};

export function registerHealthRoutes(app: FastifyInstance, readiness: ReadinessProbe): void {
  app.get("/healthz", { schema: healthzSchema }, async (_request, reply) =>
    reply.header("cache-control", "no-store").send({ status: "ok" }),
  );

  app.get("/readyz", { schema: readyzSchema }, async (_request, reply) => {
    const report = await readiness.check();
    return reply
      .code(report.ready ? 200 : 503)
      .header("cache-control", "no-store")
      .send({ status: report.ready ? "ready" : "not ready", checks: report.checks });
  });
}

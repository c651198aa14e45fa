import { readFile } from "node:fs/promises";
import proxyAddr from "@fastify/proxy-addr";
import { constantTimeEqual } from "@tokenleader/client/http-security";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { MetricsSettings, Settings } from "../config/index.js";
import type { Database } from "../db/index.js";
import { AppError } from "../errors.js";
import { joinClusterMetrics, metricsText, serverMetrics } from "../metrics/index.js";

// Everything HTTP about the metrics, in one plugin on the root scope: the per-request hook that
// counts every route's answers, and GET /metrics with its access rules. The counters the services
// keep live in metrics/; this file only reads them out.

/** Shorter tokens are guessable; a scraper's token is made once, so ask for a real one. */
const MIN_TOKEN_LENGTH = 16;

const metricsSchema = {
  summary: "Prometheus metrics (text exposition format)",
  description:
    "Requests by route and status with latencies, logins, tokens issued, refused verifications, password-hash time, database pool, cache hits, process figures. Open to the addresses of [metrics] allow (default: this host), with the bearer token of [metrics] token_file when one is set.",
  tags: ["health"],
  response: { 200: { type: "string" } },
} as const;

export async function registerMetrics(
  app: FastifyInstance,
  settings: Settings,
  db: Database,
): Promise<void> {
  const { metrics } = settings;
  if (!metrics.enabled) return;
  const token = metrics.tokenFile === null ? null : await readMetricsToken(metrics.tokenFile);
  const isAllowedAddress = addressRule(metrics, settings.server.trustProxy !== false);
  serverMetrics.startProcessMetrics();
  // With --workers: the primary gathers every worker's numbers for a scrape (metrics/cluster-metrics.ts).
  joinClusterMetrics();

  // reply.elapsedTime is Fastify's own clock of the request: no hook of ours at its start.
  app.addHook("onResponse", async (request, reply) => {
    serverMetrics.httpRequest(
      request.method,
      request.routeOptions.url,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  let stopObserving: (() => void) | null = null;
  app.addHook("onReady", async () => {
    stopObserving = serverMetrics.observeDatabase(db);
  });
  app.addHook("onClose", async () => {
    stopObserving?.();
  });

  app.get("/metrics", { schema: metricsSchema }, async (request, reply) => {
    reply.header("cache-control", "no-store");
    if (!isAllowedAddress(request)) {
      throw new AppError(
        "FORBIDDEN",
        `/metrics is not open to ${request.ip}: add the address to [metrics] allow`,
      );
    }
    if (token !== null && !hasBearerToken(request, token)) {
      reply.header("www-authenticate", 'Bearer realm="metrics"');
      throw new AppError(
        "AUTH_FAILED",
        "/metrics needs the bearer token of [metrics] token_file (Authorization: Bearer <token>)",
      );
    }
    let text: string;
    try {
      text = await metricsText();
    } catch (error) {
      // The cluster's primary did not answer: a fault (503, the scrape fails), not partial numbers.
      throw new AppError("NOT_READY", "the metrics of the other workers are not available", {
        cause: error,
      });
    }
    return reply.type(serverMetrics.contentType).send(text);
  });
}

/**
 * The client address is `request.ip`, which [server] trust_proxy decides. Without trusted proxies,
 * a request carrying forwarding headers came through a proxy whose own address (often loopback)
 * says nothing about the client: it is not let in by address.
 */
function addressRule(
  metrics: MetricsSettings,
  proxiesTrusted: boolean,
): (request: FastifyRequest) => boolean {
  if (metrics.allow === "any") return () => true;
  const allowed = proxyAddr.compile([...metrics.allow]);
  return (request) => {
    const forwarded =
      request.headers["x-forwarded-for"] !== undefined || request.headers.forwarded !== undefined;
    if (forwarded && !proxiesTrusted) return false;
    return allowed(request.ip, 0);
  };
}

function hasBearerToken(request: FastifyRequest, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
  return match !== null && constantTimeEqual(match[1] as string, token);
}

async function readMetricsToken(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      `[metrics] token_file ${file}: ${code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? String(error)})`}; make it, e.g. openssl rand -hex 32 > ${file}`,
    );
  }
  const token = text.trim();
  if (token.length < MIN_TOKEN_LENGTH || /\s/.test(token)) {
    throw new Error(
      `[metrics] token_file ${file}: holds ${token.length < MIN_TOKEN_LENGTH ? `a token shorter than ${MIN_TOKEN_LENGTH} characters` : "white space inside the token"}; put one random token on one line, e.g. openssl rand -hex 32 > ${file}`,
    );
  }
  return token;
}

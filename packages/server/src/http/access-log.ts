import type { FastifyInstance } from "fastify";

// Fastify's own request logging writes two lines per request ("incoming request" with the
// request's serialised fields, then "request completed"): about a quarter of the throughput of
// /token/verify_token. One line after the answer carries what an access log needs, built from
// plain values, and `[server] access_log = no` keeps only the failures' lines.

export interface AccessLogOptions {
  /** `[server] access_log`: a line for every answer (true) or only for 5xx answers (false). */
  readonly enabled: boolean;
}

/** Call with Fastify's `disableRequestLogging: true`, on the root scope (sees every route). */
export function installAccessLog(app: FastifyInstance, options: AccessLogOptions): void {
  const threshold = options.enabled ? 0 : 500;
  app.addHook("onResponse", (request, reply, done) => {
    const statusCode = reply.statusCode;
    if (statusCode >= threshold) {
      request.log.info(
        {
          method: request.method,
          url: request.url,
          statusCode,
          ip: request.ip,
          responseTime: Math.round(reply.elapsedTime * 100) / 100,
        },
        "request completed",
      );
    }
    done();
  });
}

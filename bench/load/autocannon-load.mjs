// The load generator when wrk is not installed: autocannon in its own process (never inside the
// process that is measured). Takes one JSON argument (see bench/lib/load.mjs), prints one JSON
// line with the same figures bench/lib/wrk-output.mjs reads from wrk.
import { readFileSync } from "node:fs";
import autocannon from "autocannon";

const spec = JSON.parse(process.argv[2]);
const tokens = spec.tokensFile
  ? readFileSync(spec.tokensFile, "utf8").split("\n").filter(Boolean)
  : [];
const body = spec.bodyFile ? readFileSync(spec.bodyFile) : undefined;
const headers = spec.contentType ? { "content-type": spec.contentType } : {};
const tokenValue = (token) => (spec.tokenHeader === "Authorization" ? `Bearer ${token}` : token);
let index = 0;

const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.seconds,
  method: spec.method,
  headers,
  body,
  requests: [
    {
      setupRequest(request) {
        if (tokens.length === 0) return request;
        index = (index + 1) % tokens.length;
        return {
          ...request,
          headers: { ...request.headers, [spec.tokenHeader]: tokenValue(tokens[index]) },
        };
      },
    },
  ],
});
console.log(
  JSON.stringify({
    perSecond: result.requests.average,
    requests: result.requests.total,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    socketErrors: result.errors + result.timeouts,
  }),
);

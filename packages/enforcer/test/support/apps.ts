import type { AddressInfo } from "node:net";
import express from "express";
import Fastify from "fastify";
import { createEnforcer as createExpressEnforcer } from "../../src/express.js";
import { createEnforcer as createFastifyEnforcer } from "../../src/fastify.js";
import type {
  Enforcer,
  EnforcerOptions,
  TokenleaderContext,
  WorkFunctionContext,
} from "../../src/index.js";

export type Adapter = "express" | "fastify";
export const ADAPTERS: Adapter[] = ["express", "fastify"];

export interface Route {
  method: "GET" | "POST";
  path: string;
  rule: string;
  /** Builds the response body from the injected context; default echoes it. */
  respond?: (wfc: WorkFunctionContext) => unknown;
  /**
   * Awaited by the handler before it reads `req.wfc` / `req.tokenleader`, so a test can hold many
   * admitted requests in flight at once (a context shared between requests would show up here).
   */
  waitBefore?: () => Promise<void>;
}

export interface RunningApp {
  url: string;
  enforcer: Enforcer;
  close(): Promise<void>;
}

const echo = (wfc: WorkFunctionContext) => ({ wfc });

/** What JSON handlers add from `req.tokenleader`: the granting role and whose token it was. */
const tokenleaderFields = (context: TokenleaderContext | null | undefined) => ({
  grantedByRole: context?.grantedByRole,
  tokenUsername: context?.user.username,
});

/** The web framework's own settings (not the enforcer's). */
export interface FrameworkSettings {
  /** Express's "trust proxy" / Fastify's `trustProxy`: a boolean or the proxies' addresses. */
  trustProxy?: boolean | string;
}

/** Starts a real Express 5 or Fastify 5 app on an ephemeral port with the given protected routes. */
export async function startApp(
  adapter: Adapter,
  options: EnforcerOptions,
  routes: Route[],
  framework: FrameworkSettings = {},
): Promise<RunningApp> {
  return adapter === "express"
    ? startExpress(options, routes, framework)
    : startFastify(options, routes, framework);
}

async function startExpress(
  options: EnforcerOptions,
  routes: Route[],
  framework: FrameworkSettings,
): Promise<RunningApp> {
  const enforcer = createExpressEnforcer(options);
  const app = express();
  app.set("trust proxy", framework.trustProxy ?? false);
  for (const route of routes) {
    const method = route.method === "GET" ? "get" : "post";
    app[method](route.path, enforcer.enforce(route.rule), async (req, res) => {
      if (route.waitBefore) await route.waitBefore();
      const body = (route.respond ?? echo)(req.wfc!);
      if (typeof body === "string") res.type("text/plain").send(body);
      else res.json({ ...(body as object), ...tokenleaderFields(req.tokenleader) });
    });
  }
  app.get("/public", (req, res) => {
    res.json({ wfc: req.wfc ?? null });
  });
  const server = await new Promise<import("node:http").Server>((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    enforcer,
    close: async () => {
      enforcer.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function startFastify(
  options: EnforcerOptions,
  routes: Route[],
  framework: FrameworkSettings,
): Promise<RunningApp> {
  const enforcer = createFastifyEnforcer(options);
  const app = Fastify({ trustProxy: framework.trustProxy ?? false });
  await app.register(enforcer.plugin);
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path,
      preHandler: enforcer.enforce(route.rule),
      handler: async (request, reply) => {
        if (route.waitBefore) await route.waitBefore();
        const body = (route.respond ?? echo)(request.wfc!);
        if (typeof body === "string") return reply.type("text/plain").send(body);
        return { ...(body as object), ...tokenleaderFields(request.tokenleader) };
      },
    });
  }
  app.get("/public", async (request) => ({ wfc: request.wfc }));
  await app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    enforcer,
    close: () => app.close(),
  };
}

/** A fetch that reports status, content type and the raw body (denials are checked byte for byte). */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string> } = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect response bodies field by field
): Promise<{ status: number; contentType: string; text: string; json: () => any }> {
  const res = await fetch(url, { method: init.method ?? "GET", headers: init.headers });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get("content-type") ?? "",
    text,
    json: () => JSON.parse(text),
  };
}

/**
 * A barrier for `count` arrivals: each `wait()` resolves once all `count` have called it, so every
 * waiting handler is suspended at the same time. Rejects after `timeoutMs` (not all arrived).
 */
export function barrier(count: number, timeoutMs = 10_000): { wait(): Promise<void> } {
  let arrived = 0;
  let open!: () => void;
  let fail!: (err: Error) => void;
  const opened = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  opened.catch(() => {}); // each waiter sees the rejection; no unhandled one at top level
  const timer = setTimeout(
    () => fail(new Error(`barrier: only ${arrived} of ${count} arrived in ${timeoutMs} ms`)),
    timeoutMs,
  );
  return {
    wait() {
      arrived += 1;
      if (arrived === count) {
        clearTimeout(timer);
        open();
      }
      return opened;
    },
  };
}

/** Polls until `probe` holds (file-watch and JWKS tests wait for asynchronous effects). */
export async function eventually(probe: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 25));
  }
}

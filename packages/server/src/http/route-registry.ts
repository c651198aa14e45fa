import type { FastifyInstance } from "fastify";

// Fastify answers a known path with the wrong method as 404. To answer 405 (with an Allow
// header) the not-found handler needs to know which methods each path has, so every route is
// recorded here as it is added, in every plugin scope.

interface RecordedRoute {
  pattern: RegExp;
  methods: Set<string>;
}

export interface RouteRegistry {
  /** Methods registered for a concrete request path (e.g. "/list/user/bob"), sorted. */
  methodsFor(path: string): string[];
}

export function recordRoutes(app: FastifyInstance): RouteRegistry {
  const routes = new Map<string, RecordedRoute>();
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let entry = routes.get(route.url);
    if (!entry) {
      entry = { pattern: patternFor(route.url), methods: new Set() };
      routes.set(route.url, entry);
    }
    for (const method of methods) entry.methods.add(method.toUpperCase());
  });
  return {
    methodsFor(path) {
      const found = new Set<string>();
      for (const route of routes.values()) {
        if (route.pattern.test(path)) for (const method of route.methods) found.add(method);
      }
      return [...found].sort();
    },
  };
}

/** "/list/user/:username" → /^\/list\/user\/[^/]+$/ ; "*" matches the rest of the path. */
function patternFor(url: string): RegExp {
  const source = url
    .split("/")
    .map((segment) => {
      if (segment === "*") return ".*";
      if (segment.startsWith(":")) return "[^/]+";
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/");
  return new RegExp(`^${source}$`);
}

import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { ServerPlugin } from "../build-server.js";

// The OpenAPI document of the whole HTTP API, built by @fastify/swagger from the JSON schemas the
// routes already declare (the same ones that validate requests), served at /openapi.json, with a
// browsable page at /docs.
//
// @fastify/swagger learns the routes through an onRoute hook, so this plugin must run on the root
// scope before any route is declared (buildServer's `rootPlugins`); routes declared earlier, or in
// a sibling scope, would be missing from the document.

export const OPENAPI_PATH = "/openapi.json";
export const DOCS_PATH = "/docs";

export const openApiPlugin: ServerPlugin = async (app, context) => {
  const { settings } = context;
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "tokenleader",
        version: "1.0.0",
        description:
          "Token server for microservices: issues and verifies signed JWTs carrying the user's roles " +
          "and work function context, publishes its keys, and manages users, organisations and " +
          "the service catalog. Admin routes need a token whose roles are granted the route's " +
          "enforcer rule in role_to_acl_map.yml (see docs/admin-api.md).",
      },
      servers: [{ url: settings.server.publicUrl.replace(/\/+$/, "") }],
      tags: [
        { name: "token", description: "Log in, verify tokens" },
        { name: "discovery", description: "Keys and discovery document" },
        { name: "health", description: "Liveness and readiness" },
        { name: "users", description: "Admin API: users" },
        {
          name: "organization",
          description: "Admin API: orgs, org units, departments, roles, wfcs",
        },
        { name: "catalog", description: "Admin API: service catalog" },
        {
          name: "keys",
          description: "Admin API: signing keys (rotation without downtime, docs/operations.md)",
        },
        {
          name: "login",
          description:
            "Cookie login for browsers and machines (the WESkit login): login page, /login, /refresh, /logout, /user_status",
        },
      ],
      components: {
        securitySchemes: {
          xAuthToken: {
            type: "apiKey",
            in: "header",
            name: "X-Auth-Token",
            description: "The original tokenleader header: the JWT itself, no prefix",
          },
          bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
          accessCookie: {
            type: "apiKey",
            in: "cookie",
            name: "access_token_cookie",
            description:
              "The cookie login's access token (set by POST /login); unsafe methods also need X-CSRF-TOKEN",
          },
          refreshCookie: {
            type: "apiKey",
            in: "cookie",
            name: "refresh_token_cookie",
            description: "The cookie login's refresh token (set by POST /login and /refresh)",
          },
        },
      },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: DOCS_PATH });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply.header("cache-control", "no-cache").send(app.swagger()),
  );
};

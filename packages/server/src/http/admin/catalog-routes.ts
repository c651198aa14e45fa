import type { FastifyEnforcer } from "@tokenleader/enforcer/fastify";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError } from "../../errors.js";
import type { AdminService } from "../../services/index.js";
import { originalMessages } from "../../services/index.js";
import { addServiceBody, nameParams, okSchemas } from "./admin-schemas.js";
import { addProtectedRoute } from "./protected-route.js";
import { ADMIN_ROUTES } from "./route-rules.js";

// The service catalog (reference §3.6, tokenrest): list, one by name (`all` = every service),
// register, delete by path or body. `POST /add/service` passes each URL to its own column (the
// original shifted them by one and stored the internal URL as the password). Refusals of the
// service layer are answered by the admin error handler (admin-error-body.ts).

/** Service-layer input names → request keys. */
const SERVICE_FIELDS = {
  name: "name",
  urlInternal: "urlint",
  urlExternal: "urlext",
  urlAdmin: "urladmin",
  password: "password",
} as const;

export function registerCatalogRoutes(
  app: FastifyInstance,
  enforcer: FastifyEnforcer,
  adminService: AdminService,
): void {
  const { listServices, getService, addService, deleteService, deleteServiceByPath } = ADMIN_ROUTES;

  addProtectedRoute(app, enforcer, listServices, {
    summary: "List every registered service",
    tag: "catalog",
    okStatus: 200,
    ok: okSchemas.services,
    errors: [],
    handler: async () => ({ status: await adminService.listServices() }),
  });

  addProtectedRoute(app, enforcer, getService, {
    summary: "One service by name; the name `all` lists every service",
    tag: "catalog",
    okStatus: 200,
    ok: okSchemas.serviceOrList,
    params: nameParams,
    errors: [400, 404],
    refusal: (request) => ({ operation: "get", kind: "service", name: request.params.name }),
    handler: async (request) => {
      const { name } = request.params;
      if (name === "all") return { status: await adminService.listServices() };
      const service = await adminService.getService(name);
      if (!service) throw new AppError("NOT_FOUND", `service "${name}" not found`);
      return { status: service };
    },
  });

  addProtectedRoute(app, enforcer, addService, {
    summary: "Register a service in the catalog",
    tag: "catalog",
    okStatus: 201,
    ok: okSchemas.statusText,
    body: addServiceBody,
    errors: [400, 409],
    refusal: (request) => ({
      operation: "add",
      kind: "service",
      name: request.body.name,
      fields: SERVICE_FIELDS,
    }),
    handler: async (request, reply) => {
      const { body } = request;
      const saved = await adminService.addService({
        name: body.name,
        urlInternal: body.urlint,
        urlExternal: body.urlext ?? null,
        urlAdmin: body.urladmin ?? null,
        password: body.password ?? null,
      });
      // The saved name (trimmed by the service layer), not the raw body text.
      return reply.code(201).send({ status: originalMessages.registered(saved.name) });
    },
  });

  const remove = async (name: string) => {
    const deleted = await adminService.deleteService(name);
    return { status: originalMessages.deleted(deleted.name) };
  };
  const removeRefusal = (name: string) =>
    ({ operation: "delete", kind: "service", name, fields: { name: "name" } }) as const;

  addProtectedRoute(app, enforcer, deleteServiceByPath, {
    summary: "Delete a service (path form)",
    tag: "catalog",
    okStatus: 200,
    ok: okSchemas.statusText,
    params: nameParams,
    errors: [400, 404],
    refusal: (request) => removeRefusal(request.params.name),
    handler: async (request) => remove(request.params.name),
  });

  addProtectedRoute(app, enforcer, deleteService, {
    summary: "Delete a service (body form)",
    tag: "catalog",
    okStatus: 200,
    ok: okSchemas.statusText,
    body: z.strictObject({ name: z.string() }),
    errors: [400, 404],
    refusal: (request) => removeRefusal(request.body.name),
    handler: async (request) => remove(request.body.name),
  });
}

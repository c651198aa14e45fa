import type { FastifyEnforcer } from "@tokenleader/enforcer/fastify";
import type { FastifyInstance } from "fastify";
import { AppError } from "../../errors.js";
import type { AdminService } from "../../services/index.js";
import { originalMessages } from "../../services/index.js";
import { sendRefusal } from "./admin-error-body.js";
import {
  addServiceBody,
  adminRouteSchema,
  nameParams,
  namesBody,
  okSchemas,
} from "./admin-schemas.js";
import { type AdminHandler, addProtectedRoute } from "./protected-route.js";
import { ADMIN_ROUTES } from "./route-rules.js";

// The service catalog (reference §3.6, tokenrest): list, one by name (`all` = every service),
// register, delete by path or body. `POST /add/service` passes each URL to its own column (the
// original shifted them by one and stored the internal URL as the password).

interface AddServiceBody {
  name: string;
  urlint: string;
  urlext?: string | null;
  urladmin?: string | null;
  password?: string | null;
}

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

  addProtectedRoute(
    app,
    enforcer,
    listServices,
    adminRouteSchema(listServices, {
      summary: "List every registered service",
      tag: "catalog",
      okStatus: 200,
      ok: okSchemas.services,
      errors: [],
    }),
    async () => ({ status: await adminService.listServices() }),
  );

  addProtectedRoute(
    app,
    enforcer,
    getService,
    adminRouteSchema(getService, {
      summary: "One service by name; the name `all` lists every service",
      tag: "catalog",
      okStatus: 200,
      ok: okSchemas.serviceOrList,
      params: nameParams("name"),
      errors: [400, 404],
    }),
    async (request, reply) => {
      const { name } = request.params as { name: string };
      if (name === "all") return { status: await adminService.listServices() };
      try {
        const service = await adminService.getService(name);
        if (!service) throw new AppError("NOT_FOUND", `service "${name}" not found`);
        return { status: service };
      } catch (error) {
        return sendRefusal(reply, error, { operation: "get", kind: "service", name });
      }
    },
  );

  addProtectedRoute(
    app,
    enforcer,
    addService,
    adminRouteSchema(addService, {
      summary: "Register a service in the catalog",
      tag: "catalog",
      okStatus: 201,
      ok: okSchemas.statusText,
      body: addServiceBody,
      errors: [400, 409],
    }),
    async (request, reply) => {
      const body = request.body as AddServiceBody;
      try {
        const saved = await adminService.addService({
          name: body.name,
          urlInternal: body.urlint,
          urlExternal: body.urlext ?? null,
          urlAdmin: body.urladmin ?? null,
          password: body.password ?? null,
        });
        // The saved name (trimmed by the service layer), not the raw body text.
        return reply.code(201).send({ status: originalMessages.registered(saved.name) });
      } catch (error) {
        return sendRefusal(reply, error, {
          operation: "add",
          kind: "service",
          name: body.name,
          fields: SERVICE_FIELDS,
        });
      }
    },
  );

  const remove =
    (name: string, field: string): AdminHandler =>
    async (_request, reply) => {
      try {
        const deleted = await adminService.deleteService(name);
        return { status: originalMessages.deleted(deleted.name) };
      } catch (error) {
        return sendRefusal(reply, error, {
          operation: "delete",
          kind: "service",
          name,
          fields: { name: field },
        });
      }
    };

  addProtectedRoute(
    app,
    enforcer,
    deleteServiceByPath,
    adminRouteSchema(deleteServiceByPath, {
      summary: "Delete a service (path form)",
      tag: "catalog",
      okStatus: 200,
      ok: okSchemas.statusText,
      params: nameParams("name"),
      errors: [400, 404],
    }),
    async (request, reply) => {
      const { name } = request.params as { name: string };
      return remove(name, "name")(request, reply);
    },
  );

  addProtectedRoute(
    app,
    enforcer,
    deleteService,
    adminRouteSchema(deleteService, {
      summary: "Delete a service (body form)",
      tag: "catalog",
      okStatus: 200,
      ok: okSchemas.statusText,
      body: namesBody(["name"]),
      errors: [400, 404],
    }),
    async (request, reply) => {
      const { name } = request.body as { name: string };
      return remove(name, "name")(request, reply);
    },
  );
}

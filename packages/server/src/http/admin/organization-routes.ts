import type { FastifyEnforcer } from "@tokenleader/enforcer/fastify";
import type { FastifyInstance } from "fastify";
import type { AdminService, EntityKind } from "../../services/index.js";
import { ENTITY_LABELS, originalMessages } from "../../services/index.js";
import { sendRefusal } from "./admin-error-body.js";
import { adminRouteSchema, nameParams, namesBody, okSchemas } from "./admin-schemas.js";
import { type AdminHandler, addProtectedRoute } from "./protected-route.js";
import { ADMIN_ROUTES, type AdminRouteSpec } from "./route-rules.js";

// Orgs, org units, departments, roles and wfcs (reference §3.5, §3.6): list all, register with
// the tokenrest body keys, delete by body key or by path. Every list returns all records (the
// original returned only the last one).

interface EntityRoutes {
  kind: Exclude<EntityKind, "user" | "service">;
  list: AdminRouteSpec;
  add: AdminRouteSpec;
  remove: AdminRouteSpec;
  removeByPath: AdminRouteSpec;
  /** Body key of `DELETE /delete/<kind>` (tokenrest). */
  deleteKey: string;
  listAll: () => Promise<unknown[]>;
  listSchema: object;
  deleteByName: (name: string) => Promise<{ name: string }>;
}

export function registerOrganizationRoutes(
  app: FastifyInstance,
  enforcer: FastifyEnforcer,
  adminService: AdminService,
): void {
  const R = ADMIN_ROUTES;
  const entities: EntityRoutes[] = [
    {
      kind: "org",
      list: R.listOrgs,
      add: R.addOrg,
      remove: R.deleteOrg,
      removeByPath: R.deleteOrgByPath,
      deleteKey: "oname",
      listAll: adminService.listOrgs,
      listSchema: okSchemas.orgs,
      deleteByName: adminService.deleteOrg,
    },
    {
      kind: "ou",
      list: R.listOrgUnits,
      add: R.addOrgUnit,
      remove: R.deleteOrgUnit,
      removeByPath: R.deleteOrgUnitByPath,
      deleteKey: "ouname",
      listAll: adminService.listOrgUnits,
      listSchema: okSchemas.named,
      deleteByName: adminService.deleteOrgUnit,
    },
    {
      kind: "dept",
      list: R.listDepartments,
      add: R.addDepartment,
      remove: R.deleteDepartment,
      removeByPath: R.deleteDepartmentByPath,
      deleteKey: "deptname",
      listAll: adminService.listDepartments,
      listSchema: okSchemas.named,
      deleteByName: adminService.deleteDepartment,
    },
    {
      kind: "role",
      list: R.listRoles,
      add: R.addRole,
      remove: R.deleteRole,
      removeByPath: R.deleteRoleByPath,
      deleteKey: "rolename",
      listAll: adminService.listRoles,
      listSchema: okSchemas.named,
      deleteByName: adminService.deleteRole,
    },
    {
      kind: "wfc",
      list: R.listWfcs,
      add: R.addWfc,
      remove: R.deleteWfc,
      removeByPath: R.deleteWfcByPath,
      deleteKey: "wfcname",
      listAll: adminService.listWfcs,
      listSchema: okSchemas.wfcs,
      deleteByName: adminService.deleteWfc,
    },
  ];

  // Registration: the four "just a name" kinds take one key; a wfc names its org, ou and dept.
  const adders: Record<
    EntityRoutes["kind"],
    { keys: string[]; add: (body: Body) => Promise<{ name: string }> }
  > = {
    org: { keys: ["oname"], add: (body) => adminService.addOrg(body.oname!) },
    ou: { keys: ["ouname"], add: (body) => adminService.addOrgUnit(body.ouname!) },
    dept: { keys: ["deptname"], add: (body) => adminService.addDepartment(body.deptname!) },
    role: { keys: ["rolename"], add: (body) => adminService.addRole(body.rolename!) },
    wfc: {
      keys: ["fname", "orgname", "ou_name", "dept_name"],
      add: (body) =>
        adminService.addWfc(body.fname!, body.orgname!, body.ou_name!, body.dept_name!),
    },
  };
  /** Service-layer input names → request keys, so a refusal names the key the caller sent. */
  const addFields: Record<EntityRoutes["kind"], Record<string, string>> = {
    org: { name: "oname" },
    ou: { name: "ouname" },
    dept: { name: "deptname" },
    role: { name: "rolename" },
    wfc: { name: "fname", org: "orgname", ou: "ou_name", dept: "dept_name" },
  };

  for (const entity of entities) {
    const label = ENTITY_LABELS[entity.kind];

    addProtectedRoute(
      app,
      enforcer,
      entity.list,
      adminRouteSchema(entity.list, {
        summary: `List every ${label}`,
        tag: "organization",
        okStatus: 200,
        ok: entity.listSchema,
        errors: [],
      }),
      async () => ({ status: await entity.listAll() }),
    );

    const adder = adders[entity.kind];
    addProtectedRoute(
      app,
      enforcer,
      entity.add,
      adminRouteSchema(entity.add, {
        summary:
          entity.kind === "wfc"
            ? "Register a work function context (its org, ou and dept must exist)"
            : `Register a ${label}`,
        tag: "organization",
        okStatus: 201,
        ok: okSchemas.statusText,
        body: namesBody(adder.keys),
        errors: entity.kind === "wfc" ? [400, 409, 422] : [400, 409],
      }),
      async (request, reply) => {
        const body = request.body as Body;
        const name = body[adder.keys[0]!]!;
        try {
          // The saved name (trimmed by the service layer), not the raw body text.
          const saved = await adder.add(body);
          return reply.code(201).send({ status: originalMessages.registered(saved.name) });
        } catch (error) {
          return sendRefusal(reply, error, {
            operation: "add",
            kind: entity.kind,
            name,
            fields: addFields[entity.kind],
          });
        }
      },
    );

    const remove =
      (name: string, field: string): AdminHandler =>
      async (_request, reply) => {
        try {
          const deleted = await entity.deleteByName(name);
          return { status: originalMessages.deleted(deleted.name) };
        } catch (error) {
          return sendRefusal(reply, error, {
            operation: "delete",
            kind: entity.kind,
            name,
            fields: { name: field },
          });
        }
      };

    addProtectedRoute(
      app,
      enforcer,
      entity.remove,
      adminRouteSchema(entity.remove, {
        summary: `Delete a ${label} (body form)`,
        tag: "organization",
        okStatus: 200,
        ok: okSchemas.statusText,
        body: namesBody([entity.deleteKey]),
        errors: [400, 404, 409],
      }),
      async (request, reply) => {
        const name = (request.body as Body)[entity.deleteKey]!;
        return remove(name, entity.deleteKey)(request, reply);
      },
    );

    addProtectedRoute(
      app,
      enforcer,
      entity.removeByPath,
      adminRouteSchema(entity.removeByPath, {
        summary: `Delete a ${label} (path form)`,
        tag: "organization",
        okStatus: 200,
        ok: okSchemas.statusText,
        params: nameParams("name"),
        errors: [400, 404, 409],
      }),
      async (request, reply) => {
        const { name } = request.params as { name: string };
        return remove(name, "name")(request, reply);
      },
    );
  }
}

type Body = Record<string, string | undefined>;

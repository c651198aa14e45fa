import type { FastifyEnforcer } from "@tokenleader/enforcer/fastify";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { AdminService, EntityKind } from "../../services/index.js";
import { ENTITY_LABELS, originalMessages } from "../../services/index.js";
import { nameParams, okSchemas } from "./admin-schemas.js";
import { addProtectedRoute } from "./protected-route.js";
import { ADMIN_ROUTES, type AdminRouteSpec } from "./route-rules.js";

// Orgs, org units, departments, roles and wfcs (reference §3.5, §3.6): list all, register with
// the tokenrest body keys, delete by body key or by path. Every list returns all records (the
// original returned only the last one). Refusals of the service layer are answered by the admin
// error handler (admin-error-body.ts).

interface EntityRoutes<AddBody extends z.ZodType, DeleteBody extends z.ZodType> {
  kind: Exclude<EntityKind, "user" | "service">;
  list: AdminRouteSpec;
  add: AdminRouteSpec;
  remove: AdminRouteSpec;
  removeByPath: AdminRouteSpec;
  listAll: () => Promise<unknown[]>;
  listSchema: object;
  /** The tokenrest body of `POST /add/<kind>`. */
  addBody: AddBody;
  /** The new record's name as sent (refusals quote it). */
  addedName: (body: z.input<AddBody>) => string;
  addFromBody: (body: z.input<AddBody>) => Promise<{ name: string }>;
  /** Service-layer input names → request keys, so a refusal names the key the caller sent. */
  addFields: Readonly<Record<string, string>>;
  /** The tokenrest body of `DELETE /delete/<kind>`: one key naming the record. */
  deleteBody: DeleteBody;
  deleteKey: string;
  deletedName: (body: z.input<DeleteBody>) => string;
  deleteByName: (name: string) => Promise<{ name: string }>;
}

export function registerOrganizationRoutes(
  app: FastifyInstance,
  enforcer: FastifyEnforcer,
  adminService: AdminService,
): void {
  const R = ADMIN_ROUTES;
  const register = <AddBody extends z.ZodType, DeleteBody extends z.ZodType>(
    entity: EntityRoutes<AddBody, DeleteBody>,
  ) => registerEntityRoutes(app, enforcer, entity);

  // The four "just a name" kinds take the same one-key body to add and to delete.
  const orgBody = z.strictObject({ oname: z.string() });
  register({
    kind: "org",
    list: R.listOrgs,
    add: R.addOrg,
    remove: R.deleteOrg,
    removeByPath: R.deleteOrgByPath,
    listAll: adminService.listOrgs,
    listSchema: okSchemas.orgs,
    addBody: orgBody,
    addedName: (body) => body.oname,
    addFromBody: (body) => adminService.addOrg(body.oname),
    addFields: { name: "oname" },
    deleteBody: orgBody,
    deleteKey: "oname",
    deletedName: (body) => body.oname,
    deleteByName: adminService.deleteOrg,
  });
  const orgUnitBody = z.strictObject({ ouname: z.string() });
  register({
    kind: "ou",
    list: R.listOrgUnits,
    add: R.addOrgUnit,
    remove: R.deleteOrgUnit,
    removeByPath: R.deleteOrgUnitByPath,
    listAll: adminService.listOrgUnits,
    listSchema: okSchemas.named,
    addBody: orgUnitBody,
    addedName: (body) => body.ouname,
    addFromBody: (body) => adminService.addOrgUnit(body.ouname),
    addFields: { name: "ouname" },
    deleteBody: orgUnitBody,
    deleteKey: "ouname",
    deletedName: (body) => body.ouname,
    deleteByName: adminService.deleteOrgUnit,
  });
  const departmentBody = z.strictObject({ deptname: z.string() });
  register({
    kind: "dept",
    list: R.listDepartments,
    add: R.addDepartment,
    remove: R.deleteDepartment,
    removeByPath: R.deleteDepartmentByPath,
    listAll: adminService.listDepartments,
    listSchema: okSchemas.named,
    addBody: departmentBody,
    addedName: (body) => body.deptname,
    addFromBody: (body) => adminService.addDepartment(body.deptname),
    addFields: { name: "deptname" },
    deleteBody: departmentBody,
    deleteKey: "deptname",
    deletedName: (body) => body.deptname,
    deleteByName: adminService.deleteDepartment,
  });
  const roleBody = z.strictObject({ rolename: z.string() });
  register({
    kind: "role",
    list: R.listRoles,
    add: R.addRole,
    remove: R.deleteRole,
    removeByPath: R.deleteRoleByPath,
    listAll: adminService.listRoles,
    listSchema: okSchemas.named,
    addBody: roleBody,
    addedName: (body) => body.rolename,
    addFromBody: (body) => adminService.addRole(body.rolename),
    addFields: { name: "rolename" },
    deleteBody: roleBody,
    deleteKey: "rolename",
    deletedName: (body) => body.rolename,
    deleteByName: adminService.deleteRole,
  });
  // A wfc names its org, ou and dept.
  register({
    kind: "wfc",
    list: R.listWfcs,
    add: R.addWfc,
    remove: R.deleteWfc,
    removeByPath: R.deleteWfcByPath,
    listAll: adminService.listWfcs,
    listSchema: okSchemas.wfcs,
    addBody: z.strictObject({
      fname: z.string(),
      orgname: z.string(),
      ou_name: z.string(),
      dept_name: z.string(),
    }),
    addedName: (body) => body.fname,
    addFromBody: (body) =>
      adminService.addWfc(body.fname, body.orgname, body.ou_name, body.dept_name),
    addFields: { name: "fname", org: "orgname", ou: "ou_name", dept: "dept_name" },
    deleteBody: z.strictObject({ wfcname: z.string() }),
    deleteKey: "wfcname",
    deletedName: (body) => body.wfcname,
    deleteByName: adminService.deleteWfc,
  });
}

function registerEntityRoutes<AddBody extends z.ZodType, DeleteBody extends z.ZodType>(
  app: FastifyInstance,
  enforcer: FastifyEnforcer,
  entity: EntityRoutes<AddBody, DeleteBody>,
): void {
  const label = ENTITY_LABELS[entity.kind];

  addProtectedRoute(app, enforcer, entity.list, {
    summary: `List every ${label}`,
    tag: "organization",
    okStatus: 200,
    ok: entity.listSchema,
    errors: [],
    handler: async () => ({ status: await entity.listAll() }),
  });

  addProtectedRoute(app, enforcer, entity.add, {
    summary:
      entity.kind === "wfc"
        ? "Register a work function context (its org, ou and dept must exist)"
        : `Register a ${label}`,
    tag: "organization",
    okStatus: 201,
    ok: okSchemas.statusText,
    body: entity.addBody,
    errors: entity.kind === "wfc" ? [400, 409, 422] : [400, 409],
    refusal: (request) => ({
      operation: "add",
      kind: entity.kind,
      name: entity.addedName(request.body),
      fields: entity.addFields,
    }),
    handler: async (request, reply) => {
      // The saved name (trimmed by the service layer), not the raw body text.
      const saved = await entity.addFromBody(request.body);
      return reply.code(201).send({ status: originalMessages.registered(saved.name) });
    },
  });

  const remove = async (name: string) => {
    const deleted = await entity.deleteByName(name);
    return { status: originalMessages.deleted(deleted.name) };
  };

  addProtectedRoute(app, enforcer, entity.remove, {
    summary: `Delete a ${label} (body form)`,
    tag: "organization",
    okStatus: 200,
    ok: okSchemas.statusText,
    body: entity.deleteBody,
    errors: [400, 404, 409],
    refusal: (request) => ({
      operation: "delete",
      kind: entity.kind,
      name: entity.deletedName(request.body),
      fields: { name: entity.deleteKey },
    }),
    handler: async (request) => remove(entity.deletedName(request.body)),
  });

  addProtectedRoute(app, enforcer, entity.removeByPath, {
    summary: `Delete a ${label} (path form)`,
    tag: "organization",
    okStatus: 200,
    ok: okSchemas.statusText,
    params: nameParams,
    errors: [400, 404, 409],
    refusal: (request) => ({
      operation: "delete",
      kind: entity.kind,
      name: request.params.name,
      fields: { name: "name" },
    }),
    handler: async (request) => remove(request.params.name),
  });
}

import type { FastifyEnforcer } from "@tokenleader/enforcer/fastify";
import type { FastifyInstance } from "fastify";
import { AppError } from "../../errors.js";
import type { AdminService } from "../../services/index.js";
import { originalMessages, userToDict } from "../../services/index.js";
import { sendBadInput, sendRefusal } from "./admin-error-body.js";
import {
  addUserBody,
  adminRouteSchema,
  deleteUserBody,
  nameParams,
  okSchemas,
} from "./admin-schemas.js";
import { type AdminHandler, addProtectedRoute } from "./protected-route.js";
import { ADMIN_ROUTES } from "./route-rules.js";
import { userNameFromBody } from "./user-name-key.js";

// Users (reference §3.4, §3.6): list all, one by name, register, delete (path or body form).

interface AddUserBody {
  name?: string;
  username?: string;
  email?: string | null;
  password: string;
  wfc: string;
  roles: string[];
}

export function registerUserRoutes(
  app: FastifyInstance,
  enforcer: FastifyEnforcer,
  adminService: AdminService,
): void {
  const { listUsers, getUser, addUser, deleteUser, deleteUserByPath } = ADMIN_ROUTES;

  addProtectedRoute(
    app,
    enforcer,
    listUsers,
    adminRouteSchema(listUsers, {
      summary: "List every user",
      tag: "users",
      okStatus: 200,
      ok: okSchemas.users,
      errors: [],
    }),
    async () => ({ status: (await adminService.listUsers()).map(userToDict) }),
  );

  addProtectedRoute(
    app,
    enforcer,
    getUser,
    adminRouteSchema(getUser, {
      summary: "One user by name",
      tag: "users",
      okStatus: 200,
      ok: okSchemas.user,
      params: nameParams("username"),
      errors: [400, 404],
    }),
    async (request, reply) => {
      const { username } = request.params as { username: string };
      const refusal = {
        operation: "get",
        kind: "user",
        name: username,
        fields: { name: "username" },
      } as const;
      try {
        const user = await adminService.getUser(username);
        if (!user) throw new AppError("NOT_FOUND", `user "${username}" not found`);
        return { status: userToDict(user) };
      } catch (error) {
        return sendRefusal(reply, error, refusal);
      }
    },
  );

  addProtectedRoute(
    app,
    enforcer,
    addUser,
    adminRouteSchema(addUser, {
      summary: "Register a user (every role and the wfc must exist)",
      tag: "users",
      okStatus: 201,
      ok: okSchemas.statusText,
      body: addUserBody,
      errors: [400, 409, 422],
    }),
    async (request, reply) => {
      const body = request.body as AddUserBody;
      const named = userNameFromBody(body, "name");
      if ("problem" in named) return sendBadInput(reply, named.field, named.problem);
      const { username, field } = named;
      try {
        const saved = await adminService.addUser({
          username,
          password: body.password,
          email: body.email ?? null,
          roles: body.roles,
          wfc: body.wfc,
        });
        // The saved username (trimmed by the service layer), not the raw body text.
        return reply.code(201).send({ status: originalMessages.registered(saved.username) });
      } catch (error) {
        return sendRefusal(reply, error, {
          operation: "add",
          kind: "user",
          name: username,
          fields: { username: field },
        });
      }
    },
  );

  const removeUser =
    (name: string, field: string): AdminHandler =>
    async (_request, reply) => {
      try {
        const deleted = await adminService.deleteUser(name);
        return { status: originalMessages.deleted(deleted.username) };
      } catch (error) {
        return sendRefusal(reply, error, {
          operation: "delete",
          kind: "user",
          name,
          fields: { name: field },
        });
      }
    };

  addProtectedRoute(
    app,
    enforcer,
    deleteUserByPath,
    adminRouteSchema(deleteUserByPath, {
      summary: "Delete a user (1.8 path form)",
      tag: "users",
      okStatus: 200,
      ok: okSchemas.statusText,
      params: nameParams("name"),
      errors: [400, 404],
    }),
    async (request, reply) => {
      const { name } = request.params as { name: string };
      return removeUser(name, "name")(request, reply);
    },
  );

  addProtectedRoute(
    app,
    enforcer,
    deleteUser,
    adminRouteSchema(deleteUser, {
      summary: "Delete a user (tokenrest body form)",
      tag: "users",
      okStatus: 200,
      ok: okSchemas.statusText,
      body: deleteUserBody,
      errors: [400, 404],
    }),
    async (request, reply) => {
      const named = userNameFromBody(
        request.body as { username?: string; name?: string },
        "username",
      );
      if ("problem" in named) return sendBadInput(reply, named.field, named.problem);
      return removeUser(named.username, named.field)(request, reply);
    },
  );
}

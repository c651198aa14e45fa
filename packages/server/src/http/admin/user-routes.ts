import type { FastifyEnforcer } from "@tokenleader/enforcer/fastify";
import type { FastifyInstance } from "fastify";
import { AppError } from "../../errors.js";
import type { AdminService } from "../../services/index.js";
import { originalMessages, userToDict } from "../../services/index.js";
import { sendBadInput } from "./admin-error-body.js";
import {
  addUserBody,
  deleteUserBody,
  nameParams,
  okSchemas,
  usernameParams,
} from "./admin-schemas.js";
import { addProtectedRoute } from "./protected-route.js";
import { ADMIN_ROUTES } from "./route-rules.js";
import { userNameFromBody, userRefusal } from "./user-name-key.js";

// Users (reference §3.4, §3.6): list all, one by name, register, delete (path or body form).
// Refusals of the service layer are answered by the admin error handler (admin-error-body.ts).

export function registerUserRoutes(
  app: FastifyInstance,
  enforcer: FastifyEnforcer,
  adminService: AdminService,
): void {
  const { listUsers, getUser, addUser, deleteUser, deleteUserByPath } = ADMIN_ROUTES;

  addProtectedRoute(app, enforcer, listUsers, {
    summary: "List every user",
    tag: "users",
    okStatus: 200,
    ok: okSchemas.users,
    errors: [],
    handler: async () => ({ status: (await adminService.listUsers()).map(userToDict) }),
  });

  addProtectedRoute(app, enforcer, getUser, {
    summary: "One user by name",
    tag: "users",
    okStatus: 200,
    ok: okSchemas.user,
    params: usernameParams,
    errors: [400, 404],
    refusal: (request) => ({
      operation: "get",
      kind: "user",
      name: request.params.username,
      fields: { name: "username" },
    }),
    handler: async (request) => {
      const { username } = request.params;
      const user = await adminService.getUser(username);
      if (!user) throw new AppError("NOT_FOUND", `user "${username}" not found`);
      return { status: userToDict(user) };
    },
  });

  addProtectedRoute(app, enforcer, addUser, {
    summary: "Register a user (every role and the wfc must exist)",
    tag: "users",
    okStatus: 201,
    ok: okSchemas.statusText,
    body: addUserBody,
    errors: [400, 409, 422],
    // The service calls the user `username`, whichever key the caller sent.
    refusal: (request) => userRefusal("add", request.body, "name", "username"),
    handler: async (request, reply) => {
      const { body } = request;
      const named = userNameFromBody(body, "name");
      if ("problem" in named) return sendBadInput(reply, named.field, named.problem);
      const saved = await adminService.addUser({
        username: named.username,
        password: body.password,
        email: body.email ?? null,
        roles: body.roles,
        wfc: body.wfc,
      });
      // The saved username (trimmed by the service layer), not the raw body text.
      return reply.code(201).send({ status: originalMessages.registered(saved.username) });
    },
  });

  const removeUser = async (name: string) => {
    const deleted = await adminService.deleteUser(name);
    return { status: originalMessages.deleted(deleted.username) };
  };

  addProtectedRoute(app, enforcer, deleteUserByPath, {
    summary: "Delete a user (1.8 path form)",
    tag: "users",
    okStatus: 200,
    ok: okSchemas.statusText,
    params: nameParams,
    errors: [400, 404],
    refusal: (request) => ({
      operation: "delete",
      kind: "user",
      name: request.params.name,
      fields: { name: "name" },
    }),
    handler: async (request) => removeUser(request.params.name),
  });

  addProtectedRoute(app, enforcer, deleteUser, {
    summary: "Delete a user (tokenrest body form)",
    tag: "users",
    okStatus: 200,
    ok: okSchemas.statusText,
    body: deleteUserBody,
    errors: [400, 404],
    refusal: (request) => userRefusal("delete", request.body, "username", "name"),
    handler: async (request, reply) => {
      const named = userNameFromBody(request.body, "username");
      if ("problem" in named) return sendBadInput(reply, named.field, named.problem);
      return removeUser(named.username);
    },
  });
}

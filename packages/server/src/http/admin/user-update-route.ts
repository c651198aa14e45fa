import type { FastifyEnforcer } from "@tokenleader/enforcer/fastify";
import type { FastifyInstance } from "fastify";
import type { AdminService } from "../../services/index.js";
import { userToDict } from "../../services/index.js";
import { sendBadInput } from "./admin-error-body.js";
import { okSchemas, updateUserBody } from "./admin-schemas.js";
import { addProtectedRoute } from "./protected-route.js";
import { ADMIN_ROUTES } from "./route-rules.js";
import { userNameFromBody, userRefusal } from "./user-name-key.js";

// POST /update/user: a new password and/or role list for an existing user (the original had no
// way to change either short of deleting the user). Same service call as `adminops passwd` and
// `adminops setroles`; either change ends the user's login sessions and earlier bearer tokens.

export function registerUserUpdateRoute(
  app: FastifyInstance,
  enforcer: FastifyEnforcer,
  adminService: AdminService,
): void {
  const { updateUser } = ADMIN_ROUTES;
  addProtectedRoute(app, enforcer, updateUser, {
    summary: "Change a user's password and/or roles (ends their sessions and earlier tokens)",
    tag: "users",
    okStatus: 200,
    ok: okSchemas.user,
    body: updateUserBody,
    errors: [400, 404, 422],
    refusal: (request) => userRefusal("update", request.body, "username", "name"),
    handler: async (request, reply) => {
      const { body } = request;
      const named = userNameFromBody(body, "username");
      if ("problem" in named) return sendBadInput(reply, named.field, named.problem);
      const user = await adminService.updateUser({
        username: named.username,
        ...(body.password === undefined ? {} : { password: body.password }),
        ...(body.roles === undefined ? {} : { roles: body.roles }),
      });
      request.log.info({ username: user.username }, "user updated");
      return { status: userToDict(user) };
    },
  });
}

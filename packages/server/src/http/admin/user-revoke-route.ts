import type { FastifyEnforcer } from "@tokenleader/enforcer/fastify";
import type { FastifyInstance } from "fastify";
import type { AdminService } from "../../services/index.js";
import { userToDict } from "../../services/index.js";
import { sendBadInput } from "./admin-error-body.js";
import { deleteUserBody, okSchemas } from "./admin-schemas.js";
import { addProtectedRoute } from "./protected-route.js";
import { ADMIN_ROUTES } from "./route-rules.js";
import { userNameFromBody, userRefusal } from "./user-name-key.js";

// POST /revoke/user: "log out everywhere" — ends the user's login sessions and every token issued
// to them so far, changing nothing else. Same service call as `adminops revoke`.

export function registerUserRevokeRoute(
  app: FastifyInstance,
  enforcer: FastifyEnforcer,
  adminService: AdminService,
): void {
  const { revokeUser } = ADMIN_ROUTES;
  addProtectedRoute(app, enforcer, revokeUser, {
    summary: "End a user's login sessions and tokens (log out everywhere)",
    tag: "users",
    okStatus: 200,
    ok: okSchemas.user,
    // The same body as DELETE /delete/user: `username` or `name`.
    body: deleteUserBody,
    errors: [400, 404],
    refusal: (request) => userRefusal("update", request.body, "username", "name"),
    handler: async (request, reply) => {
      const named = userNameFromBody(request.body, "username");
      if ("problem" in named) return sendBadInput(reply, named.field, named.problem);
      const user = await adminService.revokeUserTokens(named.username);
      request.log.info({ username: user.username }, "user's sessions and tokens revoked");
      return { status: userToDict(user) };
    },
  });
}

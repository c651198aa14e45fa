import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { requestJsonSchema } from "../request-json-schema.js";
import { sendBadInput } from "./admin-error-body.js";

// `/list/<x>`, `/add/<x>`, `/delete/<x>[/<name>]` with an entity the API does not have: a 400
// naming the path segment and the valid choices, instead of a bare "no route" 404. The router
// prefers the static routes, so these only see the unknown names. They do no work and reveal only
// what the OpenAPI document lists, so they need no token; they are left out of that document.

const LISTABLE = [
  "users",
  "user/<name>",
  "org",
  "ou",
  "dept",
  "role",
  "wfc",
  "services",
  "service/<name>",
];
const ADDABLE = ["user", "org", "ou", "dept", "role", "wfc", "service"];

const entityParams = z.object({ entity: z.string() });
type UnknownEntityRoute = { Params: z.input<typeof entityParams> };

export function registerUnknownEntityRoutes(app: FastifyInstance): void {
  const hidden = { hide: true, params: requestJsonSchema(entityParams) };
  const refuse =
    (verb: string, choices: readonly string[]) =>
    async (request: FastifyRequest<UnknownEntityRoute>, reply: FastifyReply) =>
      sendBadInput(
        reply,
        "entity",
        `unknown entity "${request.params.entity}" in the path: ${verb} one of ${choices.join(", ")}`,
      );
  app.get<UnknownEntityRoute>("/list/:entity", { schema: hidden }, refuse("list", LISTABLE));
  app.post<UnknownEntityRoute>("/add/:entity", { schema: hidden }, refuse("add", ADDABLE));
  app.delete<UnknownEntityRoute>("/delete/:entity", { schema: hidden }, refuse("delete", ADDABLE));
  app.delete<UnknownEntityRoute>(
    "/delete/:entity/:name",
    { schema: hidden },
    refuse("delete", ADDABLE),
  );
}

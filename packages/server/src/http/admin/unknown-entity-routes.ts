import type { FastifyInstance } from "fastify";
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

export function registerUnknownEntityRoutes(app: FastifyInstance): void {
  const hidden = {
    hide: true,
    params: { type: "object", properties: { entity: { type: "string" } } },
  };
  const refuse =
    (verb: string, choices: readonly string[]) =>
    async (request: { params: unknown }, reply: Parameters<typeof sendBadInput>[0]) => {
      const { entity } = request.params as { entity: string };
      return sendBadInput(
        reply,
        "entity",
        `unknown entity "${entity}" in the path: ${verb} one of ${choices.join(", ")}`,
      );
    };
  app.get("/list/:entity", { schema: hidden }, refuse("list", LISTABLE));
  app.post("/add/:entity", { schema: hidden }, refuse("add", ADDABLE));
  app.delete("/delete/:entity", { schema: hidden }, refuse("delete", ADDABLE));
  app.delete("/delete/:entity/:name", { schema: hidden }, refuse("delete", ADDABLE));
}

import { z } from "zod";

// Route input is declared once, in zod: the handler's request type is inferred from it (z.input)
// and Fastify validates with the JSON Schema made from it here (Ajv, as for every other route),
// which @fastify/swagger also puts in the OpenAPI document. Validation stays Ajv's, so refusals
// keep their wording; the zod schemas describe only types and key sets (no transforms or
// refinements: content rules live in the service layer).

export type RequestJsonSchema = Record<string, unknown>;

/**
 * The JSON Schema (draft-07, what Fastify's Ajv speaks) of a request part. An object with a fixed
 * key set (`z.strictObject`) also gets `propertyNames`: Fastify's Ajv runs with
 * `removeAdditional`, which silently drops keys refused only by `additionalProperties: false`;
 * `propertyNames` is not subject to that, so an unknown key is refused (400 naming it).
 * `additionalProperties: false` stays for the OpenAPI reader.
 */
export function requestJsonSchema(schema: z.ZodType): RequestJsonSchema {
  const { $schema: _dialect, ...json } = z.toJSONSchema(schema, {
    target: "draft-7",
    io: "input",
  });
  if (json.additionalProperties === false && json.properties) {
    return { ...json, propertyNames: { enum: Object.keys(json.properties) } };
  }
  return json;
}

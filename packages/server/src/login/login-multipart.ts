// multipart/form-data on POST /login (the original took `curl -F username=… -F password=…` as a
// form): read into the same field object a urlencoded form gives, so the form path (login CSRF,
// credentials, rate limit, answers) is one and the same. Only small text fields are accepted:
// file parts, too many or too large fields, a body over [server] body_limit and malformed
// multipart are refused before any password is looked at, and nothing is ever written to disk.
// @fastify/multipart is registered in the login form's own scope only (see login-routes.ts),
// so every other route keeps refusing multipart as before.

import type { FastifyMultipartOptions } from "@fastify/multipart";
import { PASSWORD_MAX_LENGTH as MAX_PASSWORD_LENGTH } from "@tokenleader/client/settings";
import type { FastifyReply, FastifyRequest } from "fastify";
import { LOGIN_BODY_TOO_LARGE } from "./login-limits.js";

/** Most fields (parts) a multipart login form may have; the page sends three. */
export const MAX_MULTIPART_FIELDS = 8;
/**
 * Largest field value in bytes: the longest password in UTF-8 (a UTF-16 code unit takes at most 3
 * bytes). A longer value is refused while it arrives instead of being read and thrown away.
 */
export const MAX_MULTIPART_FIELD_BYTES = 3 * MAX_PASSWORD_LENGTH;

export const MULTIPART_FILE_REFUSED =
  "file uploads are not accepted: send username, password and csrf_token as plain form fields";
export const MULTIPART_TOO_MANY_FIELDS = `the form has more than ${MAX_MULTIPART_FIELDS} fields`;
export const MULTIPART_FIELD_TOO_LARGE = `a form field is larger than ${MAX_MULTIPART_FIELD_BYTES} bytes`;
export const MULTIPART_MALFORMED = "the multipart/form-data body is malformed";

/** Options of @fastify/multipart for the login scope. */
export const LOGIN_MULTIPART_OPTIONS: FastifyMultipartOptions = {
  limits: {
    fields: MAX_MULTIPART_FIELDS,
    parts: MAX_MULTIPART_FIELDS,
    // A file part is refused at its header: busboy never opens a stream for it.
    files: 0,
    fileSize: 0,
    fieldSize: MAX_MULTIPART_FIELD_BYTES,
    headerPairs: 16,
  },
};

export type MultipartForm =
  | {
      readonly ok: true;
      /** As a urlencoded form: one string per field, an array for a repeated field. */
      readonly fields: Record<string, unknown>;
    }
  | { readonly ok: false; readonly status: 400 | 413; readonly msg: string };

/**
 * Reads the multipart fields of a request whose content type the multipart parser took. A
 * refusal stops reading the body and marks the connection to be closed (the client may still be
 * sending), as Fastify does for bodies it cannot parse.
 */
export async function readMultipartForm(
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<MultipartForm> {
  const raw = request.raw;
  const limit = request.routeOptions.bodyLimit;
  const refuse = (status: 400 | 413, msg: string): MultipartForm => {
    raw.unpipe();
    reply.header("connection", "close");
    return { ok: false, status, msg };
  };
  if (Number(request.headers["content-length"]) > limit) return refuse(413, LOGIN_BODY_TOO_LARGE);

  // The multipart parser reads the request stream itself, past Fastify's body limit: count.
  let received = 0;
  let overLimit: () => void = () => {};
  const tooLarge = new Promise<"too-large">((resolve) => {
    overLimit = () => resolve("too-large");
  });
  const onData = (chunk: Buffer | string) => {
    received += chunk.length;
    if (received > limit) {
      // Stop the flow at once (the parser must not see another byte), answer when it is our turn.
      raw.off("data", onData);
      raw.unpipe();
      overLimit();
    }
  };
  raw.on("data", onData);
  const fields: Record<string, unknown> = Object.create(null);
  try {
    const parts = request.parts()[Symbol.asyncIterator]();
    for (;;) {
      const step = await Promise.race([parts.next(), tooLarge]);
      if (step === "too-large" || received > limit) return refuse(413, LOGIN_BODY_TOO_LARGE);
      if (step.done) break;
      const part = step.value;
      if (part.type === "file") return refuse(400, MULTIPART_FILE_REFUSED);
      if (part.valueTruncated) return refuse(413, MULTIPART_FIELD_TOO_LARGE);
      const name: unknown = part.fieldname;
      if (typeof name !== "string") {
        return refuse(400, `${MULTIPART_MALFORMED}: a part has no field name`);
      }
      const previous = fields[name];
      fields[name] =
        previous === undefined
          ? part.value
          : Array.isArray(previous)
            ? [...previous, part.value]
            : [previous, part.value];
    }
    return { ok: true, fields };
  } catch (error) {
    return refuse(...multipartErrorAnswer(error));
  } finally {
    raw.off("data", onData);
  }
}

function multipartErrorAnswer(error: unknown): [400 | 413, string] {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case "FST_FILES_LIMIT":
    case "FST_REQ_FILE_TOO_LARGE":
      return [400, MULTIPART_FILE_REFUSED];
    case "FST_PARTS_LIMIT":
    case "FST_FIELDS_LIMIT":
      return [413, MULTIPART_TOO_MANY_FIELDS];
  }
  const message = error instanceof Error ? error.message : String(error);
  return [400, `${MULTIPART_MALFORMED}: ${message}`];
}

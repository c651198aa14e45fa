import { ClientError } from "../errors.js";

// fetch() reports every transport problem as `TypeError: fetch failed` with the real reason in
// `cause` (sometimes an AggregateError from trying several addresses). Turn that into one code.

const TLS_ERROR_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "EPROTO",
]);
const TIMEOUT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

function findCode(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== "object" || depth > 5) return undefined;
  const e = err as { code?: unknown; cause?: unknown; errors?: unknown[] };
  if (typeof e.code === "string" && e.code !== "UND_ERR_SOCKET") return e.code;
  return (
    findCode(e.cause, depth + 1) ??
    (Array.isArray(e.errors)
      ? e.errors.map((x) => findCode(x, depth + 1)).find(Boolean)
      : undefined) ??
    (typeof e.code === "string" ? e.code : undefined)
  );
}

function innermostMessage(err: unknown): string {
  let current = err as { message?: unknown; cause?: unknown } | undefined;
  let message = "unknown error";
  for (let i = 0; current && i < 6; i++) {
    if (typeof current.message === "string" && current.message !== "") message = current.message;
    current = current.cause as typeof current;
  }
  return message.replace(/\s+/g, " ");
}

export function classifyFetchFailure(
  err: unknown,
  method: string,
  url: string,
  timeoutMs: number,
): ClientError {
  const where = `${method} ${url}`;
  const name = (err as { name?: string } | undefined)?.name;
  const code = findCode(err);
  if (name === "TimeoutError" || (code !== undefined && TIMEOUT_CODES.has(code))) {
    return new ClientError("TIMEOUT", `${where}: no answer within ${timeoutMs} ms`, { cause: err });
  }
  if (
    code !== undefined &&
    (TLS_ERROR_CODES.has(code) || code.startsWith("ERR_SSL") || code.startsWith("ERR_TLS"))
  ) {
    return new ClientError(
      "TLS",
      `${where}: TLS failure (${code}): ${innermostMessage(err)}; set ca_file for a private CA`,
      { cause: err },
    );
  }
  return new ClientError("NETWORK", `${where}: cannot connect (${code ?? innermostMessage(err)})`, {
    cause: err,
  });
}

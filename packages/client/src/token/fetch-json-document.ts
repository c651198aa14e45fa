// A small JSON document fetched from a token server (its JWKS, its discovery document): one GET
// with a timeout, a size bound and a JSON parse. The caller names the document and turns each
// problem into its own error type.

export type JsonDocumentProblem =
  | { kind: "status"; httpStatus: number }
  | { kind: "too-large"; httpStatus: number }
  | { kind: "not-json"; httpStatus: number; cause: unknown };

export interface FetchJsonDocumentOptions {
  fetch: typeof globalThis.fetch;
  timeoutMs: number;
  maxBytes: number;
  /** Builds the error thrown for an answer that is not a usable JSON document. */
  problem: (problem: JsonDocumentProblem) => Error;
}

/** The parsed JSON body and the HTTP status it came with. */
export async function fetchJsonDocument(
  url: string,
  options: FetchJsonDocumentOptions,
): Promise<{ body: unknown; httpStatus: number }> {
  const res = await options.fetch(url, {
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  const httpStatus = res.status;
  if (!res.ok) throw options.problem({ kind: "status", httpStatus });
  const text = await res.text();
  if (text.length > options.maxBytes) throw options.problem({ kind: "too-large", httpStatus });
  try {
    return { body: JSON.parse(text) as unknown, httpStatus };
  } catch (cause) {
    throw options.problem({ kind: "not-json", httpStatus, cause });
  }
}

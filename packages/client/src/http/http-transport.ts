import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { Agent, fetch as undiciFetch } from "undici";
import { ClientError, type ClientErrorCode, oneLineText, serverErrorDetails } from "../errors.js";
import { classifyFetchFailure } from "./fetch-failure.js";

export interface HttpTransportOptions {
  /** Per request, connect to last body byte. Default 10 s. */
  timeoutMs?: number;
  /** false: certificates are not verified (warned about once, at the first https:// request). */
  sslVerify?: boolean;
  /** PEM bundle of extra trusted CAs (private CA). */
  caFile?: string | null;
  /**
   * Receives the one warning about disabled TLS verification (given only when an https:// URL is
   * requested: plain http has no certificate to skip); default process.emitWarning.
   */
  warn?: (message: string) => void;
}

export interface JsonResponse<T = unknown> {
  httpStatus: number;
  body: T;
}

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
}

export interface HttpTransport {
  requestJson(method: string, url: string, options?: RequestOptions): Promise<JsonResponse>;
  /** A fetch bound to the same TLS settings, for the JWKS key source. */
  readonly fetch: typeof globalThis.fetch;
  close(): Promise<void>;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** Larger answers are not what tokenleader sends; refuse to buffer them. */
const MAX_RESPONSE_CHARS = 8 * 1024 * 1024;
/** The original enforcer denies with HTTP 200 text/html carrying this sentence (reference §6.4). */
const ENFORCER_DENIAL = "this endpoint is restricted";

export function createHttpTransport(options: HttpTransportOptions = {}): HttpTransport {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const sslVerify = options.sslVerify ?? true;
  let ca: string | undefined;
  if (options.caFile) {
    try {
      ca = readFileSync(options.caFile, "utf8");
    } catch (err) {
      throw new ClientError(
        "CONFIG",
        `ca_file ${options.caFile} cannot be read (${(err as NodeJS.ErrnoException).code})`,
        { cause: err },
      );
    }
  }
  // Only https traffic is affected by ssl_verify: warn (once) when the first https request goes
  // out, so a config with `ssl_verify: False` and an http:// tl_url (the original sample) is quiet.
  let insecureWarningGiven = sslVerify;
  const warnIfUnverifiedTls = (url: string | URL) => {
    if (insecureWarningGiven || !isHttpsUrl(url)) return;
    insecureWarningGiven = true;
    const warn =
      options.warn ??
      ((message: string) =>
        process.emitWarning(message, { code: "TOKENLEADER_TLS_VERIFY_DISABLED" }));
    warn(
      "ssl_verify is False: TLS certificates of the tokenleader server are not verified " +
        "(anyone on the network path can impersonate it); set ca_file instead",
    );
  };
  const dispatcher = new Agent({
    connect: {
      rejectUnauthorized: sslVerify,
      // Node's default roots plus the private CA, as `requests` did with a bundle path.
      ...(ca ? { ca: [...rootCertificates, ca] } : {}),
    },
    connectTimeout: timeoutMs,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

  const boundFetch = ((input: string | URL, init?: RequestInit) => {
    warnIfUnverifiedTls(input);
    return undiciFetch(input as string, {
      ...(init as object),
      dispatcher,
    });
  }) as unknown as typeof globalThis.fetch;

  async function requestJson(
    method: string,
    url: string,
    request: RequestOptions = {},
  ): Promise<JsonResponse> {
    const headers: Record<string, string> = { accept: "application/json", ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(request.json);
    }
    let text: string;
    let httpStatus: number;
    warnIfUnverifiedTls(url);
    try {
      const res = await undiciFetch(url, {
        method,
        headers,
        body,
        dispatcher,
        signal: AbortSignal.timeout(timeoutMs),
      });
      httpStatus = res.status;
      text = await res.text();
    } catch (err) {
      throw classifyFetchFailure(err, method, url, timeoutMs);
    }
    return interpretResponse(method, url, httpStatus, text);
  }

  return {
    requestJson,
    fetch: boundFetch,
    close: () => dispatcher.close(),
  };
}

function isHttpsUrl(url: string | URL): boolean {
  try {
    return new URL(String(url)).protocol === "https:";
  } catch {
    return false;
  }
}

function interpretResponse(
  method: string,
  url: string,
  httpStatus: number,
  text: string,
): JsonResponse {
  const where = `${method} ${url}`;
  if (text.length > MAX_RESPONSE_CHARS) {
    throw new ClientError(
      "BAD_RESPONSE",
      `${where}: response larger than ${MAX_RESPONSE_CHARS} characters`,
      { httpStatus },
    );
  }
  let body: unknown;
  let isJson = true;
  try {
    body = JSON.parse(text);
  } catch {
    isJson = false;
  }
  const details = isJson ? serverErrorDetails(body) : {};
  const serverSays = isJson ? describeBody(body) : "";
  if (httpStatus === 401 || httpStatus === 403) {
    throw new ClientError("AUTH", `${where}: HTTP ${httpStatus}${explained(body)}`, {
      httpStatus,
      body,
      ...details,
    });
  }
  if (httpStatus >= 500) {
    throw new ClientError("SERVER", `${where}: server error HTTP ${httpStatus}${explained(body)}`, {
      httpStatus,
      body,
      ...details,
    });
  }
  if (!isJson) {
    if (text.includes(ENFORCER_DENIAL)) {
      throw new ClientError(
        "AUTH",
        `${where}: ${ENFORCER_DENIAL} (authentication or authorization failed)`,
        { httpStatus, body: text },
      );
    }
    throw new ClientError(
      "BAD_RESPONSE",
      `${where}: HTTP ${httpStatus} with a body that is not JSON`,
      { httpStatus, body: text.slice(0, 200) },
    );
  }
  if (httpStatus >= 400) {
    // A refusal the server explains in JSON: its sentence first, so the CLI line reads well.
    const reason = serverSays.replace(/^: /, "");
    const message =
      reason === ""
        ? `${where}: HTTP ${httpStatus}`
        : `${reason} (HTTP ${httpStatus} from ${where})`;
    throw new ClientError(refusalCode(httpStatus), message, { httpStatus, body, ...details });
  }
  if (httpStatus < 200 || httpStatus >= 300) {
    throw new ClientError("BAD_RESPONSE", `${where}: unexpected HTTP ${httpStatus}${serverSays}`, {
      httpStatus,
      body,
    });
  }
  return { httpStatus, body };
}

/** The ClientError code of a 4xx answer with a JSON body (401/403 are AUTH, handled before). */
export function refusalCode(httpStatus: number): ClientErrorCode {
  switch (httpStatus) {
    case 404:
    case 410:
      return "NOT_FOUND";
    case 409:
      return "CONFLICT";
    case 429:
      return "RATE_LIMITED";
    default:
      return "INVALID_REQUEST";
  }
}

/**
 * After `HTTP <status>` of an auth or server failure: ` <code>: <reason>` when the body explains
 * itself (the enforcer's `{message, reason, code}`: its `message` is the same generic sentence
 * for every denial, the `reason` says which check failed), else `: <message>` as describeBody.
 */
function explained(body: unknown): string {
  const { serverCode, reason } = serverErrorDetails(body);
  const code = serverCode === undefined ? "" : ` ${serverCode}`;
  if (reason !== undefined) return `${code}: ${reason.slice(0, 300)}`;
  return `${code}${describeBody(body)}`;
}

/** A short, single-line hint from a JSON error body (`reason`, `message`, `msg`, `error` or `status`). */
function describeBody(body: unknown): string {
  if (typeof body !== "object" || body === null) return "";
  const record = body as Record<string, unknown>;
  for (const key of ["reason", "message", "msg", "error", "status"]) {
    const value = oneLineText(record[key]);
    if (value !== undefined) return `: ${value.slice(0, 200)}`;
  }
  return "";
}

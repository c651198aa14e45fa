import { decodeJwt } from "jose";
import type { Configs } from "../config/configs.js";
import { ClientError } from "../errors.js";
import { classifyFetchFailure } from "../http/fetch-failure.js";
import {
  createHttpTransport,
  DEFAULT_TIMEOUT_MS,
  type HttpTransport,
} from "../http/http-transport.js";
import { importVerificationKey } from "../token/import-verification-key.js";
import {
  createIssuerDiscovery,
  DiscoveryResponseError,
  type IssuerDiscovery,
} from "../token/issuer-discovery.js";
import {
  createJwksKeySource,
  type JwksKeySource,
  JwksResponseError,
} from "../token/jwks-key-source.js";
import { type KeySource, staticKeySource } from "../token/key-source.js";
import type { VerifyResult } from "../token/verify-results.js";
import { verifyToken } from "../token/verify-token.js";
import { TOKEN_HEADER, VERIFY_STATUS } from "../token/wire-strings.js";
import {
  type AdminResponse,
  type GetServiceStatus,
  GetTokenFailureSchema,
  type GetTokenResponse,
  type GetTokenSuccess,
  GetTokenSuccessSchema,
  type GetUserStatus,
  isGetTokenSuccess,
  type LegacyListStatus,
  type NamedRecord,
  type OrgRecord,
  type RemoteVerifyResponse,
  RemoteVerifyResponseSchema,
  type ServiceRecord,
  type UserRecord,
  type WfcRecord,
} from "./responses.js";

export interface GetTokenOptions {
  /** Ask for a token for this service of the catalog only (its `aud`). */
  service?: string;
}

export interface ClientOptions {
  /** Per HTTP request; default 10 s. */
  timeoutMs?: number;
  /** Where the warning about `ssl_verify: False` goes; default process.emitWarning. */
  warn?: (message: string) => void;
  /** A token is reused until this many seconds before its `exp`; default 30. */
  tokenRenewBeforeExpirySec?: number;
}

/** The tlcnew admin API bodies (reference §3.6). */
export interface AddUserRequest {
  username: string;
  /** Optional: the server stores null when it is left out (as adminops does). */
  email?: string | null;
  password: string;
  wfc: string;
  roles: string[];
}
/**
 * `POST /update/user` (tokenleader server): a new password and/or a new role list for an existing
 * user. `roles` is the complete new list (all must exist; `[]` removes every role). Either change
 * ends the user's login sessions and makes their earlier tokens invalid.
 */
export interface UpdateUserRequest {
  username: string;
  password?: string;
  roles?: string[];
}
export interface AddWfcRequest {
  fname: string;
  orgname: string;
  ou_name: string;
  dept_name: string;
}
export interface AddServiceRequest {
  name: string;
  urlint: string;
  urlext?: string;
  urladmin?: string;
}

/**
 * Python `Client(auth_config)` → `new Client(configs)`. Talks to `tl_url`, verifies tokens locally
 * with `tl_public_key` (or the JWKS), and reuses one token for admin calls until shortly before
 * it expires. Failures are ClientError with a stable `code`.
 */
export class Client {
  readonly configs: Configs;
  private readonly http: HttpTransport;
  private readonly renewBeforeSec: number;
  private readonly timeoutMs: number;
  private keySource: KeySource | null = null;
  private jwks: JwksKeySource | null = null;
  private discovery: IssuerDiscovery | null = null;
  private cachedToken: { token: string; renewAt: number } | null = null;
  private tokenInFlight: Promise<string> | null = null;

  constructor(configs: Configs, options: ClientOptions = {}) {
    this.configs = configs;
    this.renewBeforeSec = options.tokenRenewBeforeExpirySec ?? 30;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.http = createHttpTransport({
      timeoutMs: this.timeoutMs,
      sslVerify: configs.sslVerify,
      caFile: configs.caFile,
      warn: options.warn,
    });
  }

  private url(path: string): string {
    return `${this.configs.tlUrl}${path}`;
  }

  /**
   * `get_token()`: POST /token/gettoken with the configured credentials. Returns the server's body —
   * `{status: "success", auth_token, service_catalog, …}` or a refusal such as
   * `{status: "Wrong Password", message}`. Transport and server failures throw ClientError.
   * With `service` (a name in the service catalog) the token carries `aud` = that service, and
   * enforcers configured with another `audience` refuse it; an unknown service throws
   * ClientError INVALID_REQUEST (HTTP 400) naming it.
   */
  async getToken(options: GetTokenOptions = {}): Promise<GetTokenResponse> {
    const { username, password } = this.configs.resolveCredentials();
    let body: unknown;
    try {
      ({ body } = await this.http.requestJson("POST", this.url("/token/gettoken"), {
        json: {
          username,
          password,
          ...(options.service === undefined ? {} : { service: options.service }),
        },
      }));
    } catch (err) {
      // A server answering refusals with 401 instead of the original's 200 still has the same body.
      const refusal = refusalBody(err);
      if (refusal) return refusal;
      throw err;
    }
    const success = GetTokenSuccessSchema.safeParse(body);
    if (success.success) return success.data;
    const failure = GetTokenFailureSchema.safeParse(body);
    if (failure.success && failure.data.status !== "success") return failure.data;
    throw new ClientError("BAD_RESPONSE", `POST ${this.url("/token/gettoken")}: unexpected body`, {
      body,
    });
  }

  /** Like getToken() but returns only a successful response; a refusal throws ClientError("AUTH"). */
  async getTokenOrThrow(options: GetTokenOptions = {}): Promise<GetTokenSuccess> {
    const response = await this.getToken(options);
    if (!isGetTokenSuccess(response)) {
      const detail = [response.status, response.message].filter(Boolean).join(": ");
      throw new ClientError("AUTH", `login refused by ${this.configs.tlUrl}: ${detail.trim()}`, {
        body: response,
      });
    }
    return response;
  }

  /**
   * `verify_token(token)`: local verification with `tl_public_key`, or with the server's JWKS when
   * no key is configured. Returns the original's `{status, message, payload}` (plus `reason`) for
   * a verdict: valid, expired or invalid.
   *
   * When there is no verdict because the JWKS could not be fetched (server down, TLS failure,
   * timeout, an error answer), it throws ClientError NETWORK / TLS / TIMEOUT / SERVER /
   * BAD_RESPONSE instead of calling a possibly valid token invalid — as verifyTokenRemote does.
   */
  async verifyToken(token: string): Promise<VerifyResult> {
    const keys = this.verificationKeys();
    const result = await verifyToken(token, keys, {
      algorithms: this.configs.tokenAlgorithms,
      issuer: await this.expectedIssuer(token),
      acceptMissingIssuer: this.configs.acceptTokensWithoutIssuer,
      clockLeewaySec: this.configs.clockLeewaySeconds,
    });
    if (result.status === VERIFY_STATUS.invalid && result.reason === "key_unavailable") {
      throw this.unavailable(this.configs.tlJwksUrl, this.jwks?.lastFetchError, "signing keys");
    }
    return result;
  }

  /**
   * The issuer tokens must name: `tl_issuer`, or the "issuer" of the server's discovery document
   * (`<tl_url>/.well-known/openid-configuration`), fetched once. The server is asked only for a
   * token that names an issuer: one without `iss` is refused (or accepted with
   * `tl_accept_tokens_without_issuer`) whatever the issuer is — so a tokenleader 1.8 server,
   * which has no discovery document, is never asked.
   */
  private async expectedIssuer(token: string): Promise<string> {
    if (this.configs.tlIssuer) return this.configs.tlIssuer;
    if (!namesIssuer(token)) return this.configs.tlUrl;
    this.discovery ??= createIssuerDiscovery(
      `${this.configs.tlUrl}/.well-known/openid-configuration`,
      { fetch: this.http.fetch, timeoutMs: this.timeoutMs },
    );
    try {
      return await this.discovery.issuer();
    } catch (err) {
      throw this.unavailable(this.discovery.url, err, "issuer");
    }
  }

  /** The ClientError for "what the check needs could not be fetched", classified like any request. */
  private unavailable(url: string, cause: unknown, what: string): ClientError {
    const notChecked = `the token could not be checked: its ${what} ${what.endsWith("s") ? "are" : "is"} unavailable`;
    if (cause instanceof JwksResponseError || cause instanceof DiscoveryResponseError) {
      const code = cause.httpStatus >= 500 ? "SERVER" : "BAD_RESPONSE";
      return new ClientError(code, `${notChecked} (${cause.message})`, {
        cause,
        httpStatus: cause.httpStatus,
      });
    }
    const failure = classifyFetchFailure(
      cause ?? new Error(`${what} unavailable`),
      "GET",
      url,
      this.timeoutMs,
    );
    return new ClientError(failure.code, `${failure.message}; ${notChecked}`, { cause });
  }

  /** `verify_token_from_tl(token)`: asks the server (GET /token/verify_token). */
  async verifyTokenRemote(token: string): Promise<RemoteVerifyResponse> {
    let body: unknown;
    try {
      ({ body } = await this.http.requestJson("GET", this.url("/token/verify_token"), {
        headers: { [TOKEN_HEADER]: token },
      }));
    } catch (err) {
      const refusal = refusalBody(err);
      if (refusal && "payload" in refusal) return refusal as RemoteVerifyResponse;
      throw err;
    }
    const parsed = RemoteVerifyResponseSchema.safeParse(body);
    if (!parsed.success) {
      throw new ClientError(
        "BAD_RESPONSE",
        `GET ${this.url("/token/verify_token")}: unexpected body`,
        { body },
      );
    }
    return parsed.data;
  }

  private verificationKeys(): KeySource {
    if (this.keySource) return this.keySource;
    if (this.configs.tlPublicKey) {
      try {
        this.keySource = staticKeySource(importVerificationKey(this.configs.tlPublicKey));
      } catch (err) {
        throw new ClientError(
          "CONFIG",
          `${this.configs.configFile}: key "tl_public_key" cannot be used: ${(err as Error).message}`,
          { cause: err },
        );
      }
    } else {
      this.jwks = createJwksKeySource(this.configs.tlJwksUrl, {
        fetch: this.http.fetch,
        timeoutMs: this.timeoutMs,
      });
      this.keySource = this.jwks;
    }
    return this.keySource;
  }

  /** A token for admin calls: reused until `renewBeforeSec` before its exp, one login at a time. */
  async authToken(options: { forceRefresh?: boolean } = {}): Promise<string> {
    const now = Date.now() / 1000;
    if (!options.forceRefresh && this.cachedToken && now < this.cachedToken.renewAt) {
      return this.cachedToken.token;
    }
    if (!this.tokenInFlight) {
      this.tokenInFlight = this.getTokenOrThrow()
        .then(({ auth_token }) => {
          this.cachedToken = { token: auth_token, renewAt: this.renewTime(auth_token) };
          return auth_token;
        })
        .finally(() => {
          this.tokenInFlight = null;
        });
    }
    return this.tokenInFlight;
  }

  private renewTime(token: string): number {
    let exp: unknown;
    try {
      exp = decodeJwt(token).exp;
    } catch {
      exp = undefined;
    }
    // A token whose exp cannot be read is used for one minute at most.
    return typeof exp === "number" ? exp - this.renewBeforeSec : Date.now() / 1000 + 60;
  }

  /**
   * Calls an authenticated route with `X-Auth-Token` and returns its `{status: …}` body. If a
   * reused token is refused (server restarted with a new key…), logs in once more and retries.
   */
  async adminRequest<T = unknown>(
    method: "GET" | "POST" | "DELETE",
    path: string,
    json?: unknown,
  ): Promise<AdminResponse<T>> {
    const wasCached = this.cachedToken !== null && Date.now() / 1000 < this.cachedToken.renewAt;
    const token = await this.authToken();
    try {
      return await this.sendAdmin<T>(method, path, token, json);
    } catch (err) {
      if (!(err instanceof ClientError) || err.code !== "AUTH" || !wasCached) throw err;
      const fresh = await this.authToken({ forceRefresh: true });
      return this.sendAdmin<T>(method, path, fresh, json);
    }
  }

  private async sendAdmin<T>(
    method: string,
    path: string,
    token: string,
    json: unknown,
  ): Promise<AdminResponse<T>> {
    const url = this.url(path);
    const { body } = await this.http.requestJson(method, url, {
      headers: { [TOKEN_HEADER]: token },
      json,
    });
    if (typeof body === "object" && body !== null && "status" in body) {
      return body as AdminResponse<T>;
    }
    // The original enforcer's JSON denial is `{"message": "this endpoint is restricted …"}`.
    if (
      typeof body === "object" &&
      body !== null &&
      typeof (body as { message?: unknown }).message === "string"
    ) {
      throw new ClientError("AUTH", `${method} ${url}: ${(body as { message: string }).message}`, {
        body,
      });
    }
    throw new ClientError("BAD_RESPONSE", `${method} ${url}: body has no "status"`, { body });
  }

  // ---- list (reference §3.4–3.6) ----
  // The record shapes are those of the tokenleader server (docs/admin-api.md); the unions also
  // cover what the original Python server sends (see responses.ts).

  /** `GET /list/users`: every user. */
  listUsers() {
    return this.adminRequest<UserRecord[]>("GET", "/list/users");
  }
  /** `GET /list/user/<name>`; an unknown name is ClientError NOT_FOUND (original: `{error}`). */
  getUser(username: string) {
    return this.adminRequest<GetUserStatus>("GET", `/list/user/${encodeURIComponent(username)}`);
  }
  listOrg() {
    return this.adminRequest<OrgRecord[] | LegacyListStatus>("GET", "/list/org");
  }
  listOrgUnits() {
    return this.adminRequest<NamedRecord[] | LegacyListStatus>("GET", "/list/ou");
  }
  listDept() {
    return this.adminRequest<NamedRecord[] | LegacyListStatus>("GET", "/list/dept");
  }
  listRoles() {
    return this.adminRequest<NamedRecord[] | LegacyListStatus>("GET", "/list/role");
  }
  listWfc() {
    return this.adminRequest<WfcRecord[]>("GET", "/list/wfc");
  }
  listServices() {
    return this.adminRequest<ServiceRecord[]>("GET", "/list/services");
  }
  /**
   * `GET /list/service/<name>` (`all` lists every service); an unknown name is ClientError
   * NOT_FOUND (original: `{msg}`).
   */
  getService(name: string) {
    return this.adminRequest<GetServiceStatus>("GET", `/list/service/${encodeURIComponent(name)}`);
  }

  // ---- add (POST with JSON body) ----
  addUser(user: AddUserRequest) {
    return this.adminRequest<string>("POST", "/add/user", user);
  }
  /**
   * `POST /update/user`: resolves to the updated user. Unknown user → ClientError NOT_FOUND;
   * an unknown role → INVALID_REQUEST (HTTP 422 `UNKNOWN_REFERENCE`); neither `password` nor
   * `roles` → INVALID_REQUEST (HTTP 400). Keys left undefined are not sent.
   */
  updateUser({ username, password, roles }: UpdateUserRequest) {
    return this.adminRequest<UserRecord>("POST", "/update/user", {
      username,
      ...(password === undefined ? {} : { password }),
      ...(roles === undefined ? {} : { roles }),
    });
  }
  /**
   * `POST /revoke/user` ("log out everywhere"): ends the user's login sessions and makes every
   * token issued to them so far invalid at the server, changing nothing else (the user logs in
   * again with the same password). Resolves to the user. Unknown user → ClientError NOT_FOUND
   * (HTTP 404); a blank name → INVALID_REQUEST (HTTP 400).
   */
  revokeUser(username: string) {
    return this.adminRequest<UserRecord>("POST", "/revoke/user", { username });
  }
  addOrg(body: { oname: string }) {
    return this.adminRequest<string>("POST", "/add/org", body);
  }
  addOrgUnit(body: { ouname: string }) {
    return this.adminRequest<string>("POST", "/add/ou", body);
  }
  addDept(body: { deptname: string }) {
    return this.adminRequest<string>("POST", "/add/dept", body);
  }
  addRole(body: { rolename: string }) {
    return this.adminRequest<string>("POST", "/add/role", body);
  }
  addWfc(body: AddWfcRequest) {
    return this.adminRequest<string>("POST", "/add/wfc", body);
  }
  addService(body: AddServiceRequest) {
    return this.adminRequest<string>("POST", "/add/service", body);
  }

  // ---- delete (DELETE with JSON body) ----
  deleteUser(body: { username: string }) {
    return this.adminRequest<string>("DELETE", "/delete/user", body);
  }
  deleteOrg(body: { oname: string }) {
    return this.adminRequest<string>("DELETE", "/delete/org", body);
  }
  deleteOrgUnit(body: { ouname: string }) {
    return this.adminRequest<string>("DELETE", "/delete/ou", body);
  }
  deleteDept(body: { deptname: string }) {
    return this.adminRequest<string>("DELETE", "/delete/dept", body);
  }
  deleteRole(body: { rolename: string }) {
    return this.adminRequest<string>("DELETE", "/delete/role", body);
  }
  deleteWfc(body: { wfcname: string }) {
    return this.adminRequest<string>("DELETE", "/delete/wfc", body);
  }
  deleteService(body: { name: string }) {
    return this.adminRequest<string>("DELETE", "/delete/service", body);
  }

  /** Releases pooled connections (lets a short script exit promptly). */
  close(): Promise<void> {
    return this.http.close();
  }
}

/** Whether the (not yet verified) token has an `iss` claim; false for garbage too. */
function namesIssuer(token: string): boolean {
  try {
    return decodeJwt(token).iss !== undefined;
  } catch {
    return false;
  }
}

/** The `{status, message…}` body of an AUTH error, for servers answering refusals with 401. */
function refusalBody(err: unknown): GetTokenResponse | null {
  if (!(err instanceof ClientError) || err.code !== "AUTH") return null;
  const parsed = GetTokenFailureSchema.safeParse(err.body);
  return parsed.success ? parsed.data : null;
}

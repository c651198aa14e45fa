import { z } from "zod";

// Bodies of the original server (reference §3.2, §3.3, §3.4–3.6). Validated loosely: keys a newer
// server adds are kept, keys clients rely on are checked.

/** `status` values of POST /token/gettoken (note the trailing space of `missing`). */
export const GETTOKEN_STATUS = {
  success: "success",
  missing: "missing authentication info ",
  notRegistered: "User not registered",
  wrongPassword: "Wrong Password",
} as const;

export const ServiceCatalogEntrySchema = z.looseObject({
  id: z.number().int().optional(),
  name: z.string().nullable(),
  endpoint_url_internal: z.string().nullable().optional(),
  endpoint_url_external: z.string().nullable().optional(),
  endpoint_url_admin: z.string().nullable().optional(),
});
export type ServiceCatalogEntry = z.infer<typeof ServiceCatalogEntrySchema>;

export const GetTokenSuccessSchema = z.looseObject({
  status: z.literal("success"),
  message: z.string(),
  auth_token: z.string().min(1),
  service_catalog: z.record(z.string(), ServiceCatalogEntrySchema).default({}),
});
export type GetTokenSuccess = z.infer<typeof GetTokenSuccessSchema>;

export const GetTokenFailureSchema = z.looseObject({
  status: z.string(),
  message: z.string().optional(),
});
export type GetTokenFailure = z.infer<typeof GetTokenFailureSchema>;

export type GetTokenResponse = GetTokenSuccess | GetTokenFailure;

export function isGetTokenSuccess(r: GetTokenResponse): r is GetTokenSuccess {
  return (
    r.status === GETTOKEN_STATUS.success && typeof (r as GetTokenSuccess).auth_token === "string"
  );
}

/** GET /token/verify_token: always `{status, message, payload}`. */
export const RemoteVerifyResponseSchema = z.looseObject({
  status: z.string(),
  message: z.string(),
  payload: z.unknown(),
});
export type RemoteVerifyResponse = z.infer<typeof RemoteVerifyResponseSchema>;

/** Admin and catalog routes put their payload under `status`. */
export interface AdminResponse<T = unknown> {
  status: T;
}

// Records of the admin and catalog routes, as the tokenleader server sends them
// (docs/admin-api.md; packages/server/src/http/admin/admin-schemas.ts).

/** A work function context: the `wfc` of a user and of the token's `sub`. */
export type WfcRecord = {
  id: number;
  name: string;
  org: string;
  orgunit: string;
  department: string;
};

/** The original's `User.to_dict()`, also the token's `sub`. */
export type UserRecord = {
  id: number;
  username: string;
  email: string | null;
  /** Role names. */
  roles: string[];
  wfc: WfcRecord | null;
};

/** An org unit, department or role. */
export type NamedRecord = {
  id: number;
  name: string;
};

export type OrgRecord = NamedRecord & {
  orgtype?: string | null;
};

/** A service catalog entry (never its password). */
export type ServiceRecord = {
  id: number;
  name: string;
  endpoint_url_internal: string | null;
  endpoint_url_external: string | null;
  endpoint_url_admin: string | null;
};

/**
 * What the original Python server answers on `GET /list/org|ou|dept|role`: only the last record,
 * as `{name}` and not in a list (reference §3.5). The tokenleader server sends every record.
 */
export type LegacyListStatus = {
  name: string;
};

/** The original server's 200 "not found" of `GET /list/user/<name>` (ours: HTTP 404). */
export type RecordNotFoundStatus = {
  error: string;
};

/** The original server's 200 "not found" of `GET /list/service/<name>` (ours: HTTP 404). */
export type ServiceNotFoundStatus = {
  msg: string;
};

/** `GET /list/user/<name>`. */
export type GetUserStatus = UserRecord | RecordNotFoundStatus;

/** `GET /list/service/<name>`: one service, every service for the name `all`, or not found. */
export type GetServiceStatus = ServiceRecord | ServiceRecord[] | ServiceNotFoundStatus;

/** `{"error": "No such record is found"}` (by-name lookups) and `{"msg": …}` (services). */
export function isNotFoundStatus(status: unknown): boolean {
  return (
    typeof status === "object" &&
    status !== null &&
    !Array.isArray(status) &&
    ("error" in status || "msg" in status) &&
    Object.keys(status).length === 1
  );
}

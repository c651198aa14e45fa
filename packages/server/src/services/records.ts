// Plain records the service layer returns (never Prisma objects), and the original's dict shapes
// (`to_dict()`) that tokens and the REST API put on the wire.
import type { Prisma } from "../db/prisma-client.js";

export interface NamedRecord {
  id: number;
  name: string;
}

export interface OrganizationRecord extends NamedRecord {
  orgtype: string | null;
}

/** The original's wfc `to_dict()`: org, orgunit and department are the linked names. */
export interface WfcRecord {
  id: number;
  name: string;
  org: string;
  orgunit: string;
  department: string;
}

export interface UserRecord {
  id: number;
  username: string;
  email: string | null;
  /** Role names. */
  roles: string[];
  /** Null only for imported data that lacks one; new users always have a wfc. */
  wfc: WfcRecord | null;
}

/** The original's service `to_dict()` (no password). */
export interface ServiceRecord {
  id: number;
  name: string;
  endpoint_url_internal: string | null;
  endpoint_url_external: string | null;
  endpoint_url_admin: string | null;
}

/** The token `sub` claim / REST user dict: `{id, username, email, roles, wfc}`. */
export interface UserDict {
  id: number;
  username: string;
  email: string | null;
  roles: string[];
  wfc: WfcRecord | null;
}

/** The catalog returned with every token: keyed by service name. */
export type ServiceCatalog = Record<string, ServiceRecord>;

export const wfcInclude = {
  org: true,
  orgUnit: true,
  department: true,
} as const satisfies Prisma.WorkFunctionContextInclude;

export const userInclude = {
  wfc: { include: wfcInclude },
  roles: { include: { role: true }, orderBy: { roleId: "asc" } },
} as const satisfies Prisma.UserInclude;

export type WfcRow = Prisma.WorkFunctionContextGetPayload<{ include: typeof wfcInclude }>;
export type UserRow = Prisma.UserGetPayload<{ include: typeof userInclude }>;

export function toWfcRecord(row: WfcRow): WfcRecord {
  return {
    id: row.id,
    name: row.name,
    org: row.org.name,
    orgunit: row.orgUnit.name,
    department: row.department.name,
  };
}

export function toUserRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    roles: row.roles.map((link) => link.role.name),
    // Typed as required by the schema; imported rows may still lack the links.
    wfc: row.wfc?.org && row.wfc.orgUnit && row.wfc.department ? toWfcRecord(row.wfc) : null,
  };
}

export function toServiceRecord(row: {
  id: number;
  name: string;
  endpointUrlInternal: string | null;
  endpointUrlExternal: string | null;
  endpointUrlAdmin: string | null;
}): ServiceRecord {
  return {
    id: row.id,
    name: row.name,
    endpoint_url_internal: row.endpointUrlInternal,
    endpoint_url_external: row.endpointUrlExternal,
    endpoint_url_admin: row.endpointUrlAdmin,
  };
}

/** The original's `User.to_dict()`; tolerant of users without wfc or roles (imported data). */
export function userToDict(user: UserRecord): UserDict {
  return {
    id: user.id,
    username: user.username,
    email: user.email ?? null,
    roles: [...(user.roles ?? [])],
    wfc: user.wfc ? { ...user.wfc } : null,
  };
}

/** `{ <name>: {id, name, endpoint_url_*} }`; a name like "__proto__" stays an ordinary key. */
export function toServiceCatalog(services: readonly ServiceRecord[]): ServiceCatalog {
  return Object.fromEntries(services.map((service) => [service.name, { ...service }]));
}

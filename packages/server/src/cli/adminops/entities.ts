// How adminops lists, finds and deletes each kind of record, and how it shows them in a table.
import type { AdminService } from "../../services/admin-service.js";
import { describeEntity, ENTITY_LABELS, type EntityKind } from "../../services/entity-kinds.js";
import { type UserRecord, userToDict } from "../../services/records.js";

interface EntityOperations {
  list(service: AdminService): Promise<unknown[]>;
  get(service: AdminService, name: string): Promise<unknown | null>;
  delete(service: AdminService, name: string): Promise<unknown>;
  headers: readonly string[];
  row(record: never): string[];
  /** The JSON shape: the original's dicts (users as their `to_dict()`). */
  toJson?(record: never): unknown;
}

const text = (value: unknown) => (value === null || value === undefined ? "-" : String(value));

export const ENTITY_OPERATIONS: Record<EntityKind, EntityOperations> = {
  org: {
    list: (s) => s.listOrgs(),
    get: (s, n) => s.getOrg(n),
    delete: (s, n) => s.deleteOrg(n),
    headers: ["ID", "NAME", "ORGTYPE"],
    row: (r: { id: number; name: string; orgtype: string | null }) => [
      String(r.id),
      r.name,
      text(r.orgtype),
    ],
  },
  ou: {
    list: (s) => s.listOrgUnits(),
    get: (s, n) => s.getOrgUnit(n),
    delete: (s, n) => s.deleteOrgUnit(n),
    headers: ["ID", "NAME"],
    row: (r: { id: number; name: string }) => [String(r.id), r.name],
  },
  dept: {
    list: (s) => s.listDepartments(),
    get: (s, n) => s.getDepartment(n),
    delete: (s, n) => s.deleteDepartment(n),
    headers: ["ID", "NAME"],
    row: (r: { id: number; name: string }) => [String(r.id), r.name],
  },
  role: {
    list: (s) => s.listRoles(),
    get: (s, n) => s.getRole(n),
    delete: (s, n) => s.deleteRole(n),
    headers: ["ID", "NAME"],
    row: (r: { id: number; name: string }) => [String(r.id), r.name],
  },
  wfc: {
    list: (s) => s.listWfcs(),
    get: (s, n) => s.getWfc(n),
    delete: (s, n) => s.deleteWfc(n),
    headers: ["ID", "NAME", "ORG", "ORGUNIT", "DEPARTMENT"],
    row: (r: { id: number; name: string; org: string; orgunit: string; department: string }) => [
      String(r.id),
      r.name,
      r.org,
      r.orgunit,
      r.department,
    ],
  },
  user: {
    list: (s) => s.listUsers(),
    get: (s, n) => s.getUser(n),
    delete: (s, n) => s.deleteUser(n),
    headers: ["ID", "USERNAME", "EMAIL", "ROLES", "WFC"],
    row: (r: UserRecord) => [
      String(r.id),
      r.username,
      text(r.email),
      r.roles.length > 0 ? r.roles.join(",") : "-",
      r.wfc ? r.wfc.name : "-",
    ],
    toJson: (r: UserRecord) => userToDict(r),
  },
  service: {
    list: (s) => s.listServices(),
    get: (s, n) => s.getService(n),
    delete: (s, n) => s.deleteService(n),
    headers: ["ID", "NAME", "INTERNAL URL", "EXTERNAL URL", "ADMIN URL"],
    row: (r: {
      id: number;
      name: string;
      endpoint_url_internal: string | null;
      endpoint_url_external: string | null;
      endpoint_url_admin: string | null;
    }) => [
      String(r.id),
      r.name,
      text(r.endpoint_url_internal),
      text(r.endpoint_url_external),
      text(r.endpoint_url_admin),
    ],
  },
};

export function pluralLabel(kind: EntityKind): string {
  return `${ENTITY_LABELS[kind]}s`;
}

export { describeEntity };

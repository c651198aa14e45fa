// Reads a tokenleader 1.x database into one neutral snapshot, whichever of its two historical
// shapes it has (reference §4.1/§4.2):
// - "1.8" (migration 3f6c8ac80cdf, every released 1.x): table `org_unit`; the links point the
//   wrong way — `workfunctioncontext.userid` gives a wfc its (one) user, and `work_func_id` on
//   organization / org_unit / department gives each its (one) wfc;
// - "corrected" (branch tokenrest, 70c688d7cd94): table `orgunit`, `user.wfc_id` and
//   `workfunctioncontext.org_id / orgunit_id / department_id`.
// Links are kept as lists (`orgIds`, `wfcIds`, …): the planner decides what 0 or several mean.
import { AppError } from "../errors.js";
import type { SourceDatabase, SourceRow } from "./source-database.js";

export type Tokenleader1Shape = "1.8" | "corrected";

export interface SourceOrg {
  id: number;
  name: string | null;
  orgtype: string | null;
  authBackend: string | null;
}
export interface SourceNamed {
  id: number;
  name: string | null;
}
export interface SourceWfc extends SourceNamed {
  orgIds: number[];
  orgUnitIds: number[];
  departmentIds: number[];
}
export interface SourceUser {
  id: number;
  username: string | null;
  email: string | null;
  passwordHash: string | null;
  wfcIds: number[];
  roleIds: number[];
}
export interface SourceService {
  id: number;
  name: string | null;
  passwordHash: string | null;
  urlInternal: string | null;
  urlExternal: string | null;
  urlAdmin: string | null;
}

export interface Tokenleader1Snapshot {
  shape: Tokenleader1Shape;
  /** alembic_version.version_num, when the table is there. */
  revision: string | null;
  orgs: SourceOrg[];
  orgUnits: SourceNamed[];
  departments: SourceNamed[];
  roles: SourceNamed[];
  wfcs: SourceWfc[];
  users: SourceUser[];
  services: SourceService[];
  /** roles_n_user_map rows naming a user or role that is not there. */
  danglingRoleLinks: { userId: number; roleId: number }[];
}

const COMMON_TABLES = [
  "user",
  "role",
  "roles_n_user_map",
  "workfunctioncontext",
  "organization",
  "department",
  "service_catalog",
];

export async function detectShape(source: SourceDatabase): Promise<Tokenleader1Shape> {
  const tables = await source.tables();
  const orgUnitTable = tables.has("org_unit")
    ? "org_unit"
    : tables.has("orgunit")
      ? "orgunit"
      : null;
  const missing = COMMON_TABLES.filter((table) => !tables.has(table));
  if (orgUnitTable === null) missing.push("org_unit (or orgunit)");
  if (missing.length > 0) {
    throw new AppError(
      "IMPORT_SOURCE_UNREADABLE",
      `${source.description} is not a tokenleader 1.x database: table${missing.length > 1 ? "s" : ""} ${missing.join(", ")} missing (check the URL)`,
    );
  }
  const wfcColumns = await source.columns("workfunctioncontext");
  if (orgUnitTable === "org_unit" && wfcColumns.has("userid")) return "1.8";
  if (orgUnitTable === "orgunit" && (await source.columns("user")).has("wfc_id"))
    return "corrected";
  throw new AppError(
    "IMPORT_SOURCE_UNREADABLE",
    `${source.description} has tokenleader tables of neither known shape (1.8: org_unit and workfunctioncontext.userid; corrected: orgunit and user.wfc_id)`,
  );
}

export async function readTokenleader1(source: SourceDatabase): Promise<Tokenleader1Snapshot> {
  const shape = await detectShape(source);
  const read = readerFor(source);
  const old = shape === "1.8";

  const orgRows = await read(
    "organization",
    ["id", "name"],
    ["orgtype", "auth_backend", ...(old ? ["work_func_id"] : [])],
  );
  const ouRows = await read(
    old ? "org_unit" : "orgunit",
    ["id", "name"],
    old ? ["work_func_id"] : [],
  );
  const deptRows = await read("department", ["id", "name"], old ? ["work_func_id"] : []);
  const wfcRows = await read(
    "workfunctioncontext",
    ["id", "name", ...(old ? ["userid"] : ["org_id", "orgunit_id", "department_id"])],
    [],
  );
  const userRows = await read(
    "user",
    ["id", "username", ...(old ? [] : ["wfc_id"])],
    ["email", "password_hash"],
  );
  const roleRows = await read("role", ["id", "rolename"], []);
  const linkRows = await read(
    "roles_n_user_map",
    ["user_id", "role_id"],
    [],
    ["user_id", "role_id"],
  );
  const serviceRows = await read(
    "service_catalog",
    ["id", "name"],
    ["password_hash", "endpoint_url_internal", "endpoint_url_external", "endpoint_url_admin"],
  );

  // Who points at whom, in either direction, as id lists (1.8's links are on the far side).
  const pointingIndex = (rows: SourceRow[], column: string) => {
    const index = new Map<number, number[]>();
    for (const row of rows) {
      const target = id(row[column]);
      if (target === null) continue;
      const ids = index.get(target) ?? [];
      ids.push(id(row.id)!);
      index.set(target, ids);
    }
    return (target: number) => index.get(target) ?? [];
  };
  const orgsOf = old ? pointingIndex(orgRows, "work_func_id") : () => [];
  const orgUnitsOf = old ? pointingIndex(ouRows, "work_func_id") : () => [];
  const departmentsOf = old ? pointingIndex(deptRows, "work_func_id") : () => [];
  const wfcsOf = old ? pointingIndex(wfcRows, "userid") : () => [];
  const single = (value: unknown) => (id(value) === null ? [] : [id(value)!]);

  const wfcs: SourceWfc[] = wfcRows.map((row) => {
    const wfcId = id(row.id)!;
    return {
      id: wfcId,
      name: text(row.name),
      orgIds: old ? orgsOf(wfcId) : single(row.org_id),
      orgUnitIds: old ? orgUnitsOf(wfcId) : single(row.orgunit_id),
      departmentIds: old ? departmentsOf(wfcId) : single(row.department_id),
    };
  });
  const userIds = new Set(userRows.map((row) => id(row.id)));
  const roleIds = new Set(roleRows.map((row) => id(row.id)));
  const links = linkRows.map((row) => ({ userId: id(row.user_id)!, roleId: id(row.role_id)! }));
  const rolesOf = new Map<number, number[]>();
  for (const link of links) {
    if (!roleIds.has(link.roleId)) continue;
    const ids = rolesOf.get(link.userId) ?? [];
    ids.push(link.roleId);
    rolesOf.set(link.userId, ids);
  }
  const users: SourceUser[] = userRows.map((row) => {
    const userId = id(row.id)!;
    return {
      id: userId,
      username: text(row.username),
      email: text(row.email),
      passwordHash: text(row.password_hash),
      wfcIds: old ? wfcsOf(userId) : single(row.wfc_id),
      roleIds: rolesOf.get(userId) ?? [],
    };
  });

  return {
    shape,
    revision: await readRevision(source),
    orgs: orgRows.map((row) => ({
      id: id(row.id)!,
      name: text(row.name),
      orgtype: text(row.orgtype),
      authBackend: text(row.auth_backend),
    })),
    orgUnits: ouRows.map(named),
    departments: deptRows.map(named),
    roles: roleRows.map((row) => ({ id: id(row.id)!, name: text(row.rolename) })),
    wfcs,
    users,
    services: serviceRows.map((row) => ({
      id: id(row.id)!,
      name: text(row.name),
      passwordHash: text(row.password_hash),
      urlInternal: text(row.endpoint_url_internal),
      urlExternal: text(row.endpoint_url_external),
      urlAdmin: text(row.endpoint_url_admin),
    })),
    danglingRoleLinks: links.filter((l) => !userIds.has(l.userId) || !roleIds.has(l.roleId)),
  };
}

/** Reads `required` columns (an error names any that is missing) and those of `optional` present. */
function readerFor(source: SourceDatabase) {
  return async (
    table: string,
    required: string[],
    optional: string[],
    orderBy: string[] = ["id"],
  ): Promise<SourceRow[]> => {
    const present = await source.columns(table);
    const missing = required.filter((column) => !present.has(column));
    if (missing.length > 0) {
      throw new AppError(
        "IMPORT_SOURCE_UNREADABLE",
        `${source.description}: table ${table} lacks the column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} of a tokenleader 1.x database`,
      );
    }
    const columns = [...required, ...optional.filter((column) => present.has(column))];
    return source.rows(table, columns, orderBy);
  };
}

async function readRevision(source: SourceDatabase): Promise<string | null> {
  if (!(await source.tables()).has("alembic_version")) return null;
  const rows = await source.rows("alembic_version", ["version_num"], []);
  return text(rows[0]?.version_num);
}

function named(row: SourceRow): SourceNamed {
  return { id: id(row.id)!, name: text(row.name) };
}

function id(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : null;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return Buffer.isBuffer(value) ? value.toString("utf8") : String(value);
}

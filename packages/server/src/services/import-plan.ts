// What an import writes, independent of where it came from (a tokenleader 1.x database, a WESkit
// users.yaml): the records by name, already checked against this server's input rules, and the
// source records that could not be mapped, each with the reason. `importRecords`
// (admin/imports.ts) writes a plan in one transaction and reports what it did.

export type ImportEntity = "org" | "ou" | "dept" | "role" | "wfc" | "user" | "service";

/** A source record left out (`notMapped`) or taken with a change (`warnings`), and why. */
export interface ImportProblem {
  entity: ImportEntity | "role grant";
  /** The record's name in the source (or its id when it has no usable name). */
  name: string;
  reason: string;
}

export interface PlannedOrg {
  name: string;
  orgtype: string | null;
  authBackend: string | null;
}

export interface PlannedWfc {
  name: string;
  org: string;
  orgUnit: string;
  department: string;
}

export interface PlannedUser {
  username: string;
  email: string | null;
  /** Kept as the source stored it (Werkzeug, WESkit sha256, argon2): upgraded at login. */
  passwordHash: string;
  roles: string[];
  /** The wfc's name, or null for none (WESkit users). */
  wfc: string | null;
  /**
   * Set when the source's wfc of this user could not be imported: the user is still linked to
   * a wfc of that name already on this server, else left out for this reason.
   */
  wfcNotImported?: string;
}

export interface PlannedService {
  name: string;
  passwordHash: string | null;
  urlInternal: string;
  urlExternal: string | null;
  urlAdmin: string | null;
}

export interface ImportPlan {
  /** "tokenleader1" or "weskit-users". */
  format: string;
  /** The file or database URL (without its password). */
  source: string;
  /** What was recognised, e.g. "tokenleader 1.8 schema (alembic 3f6c8ac80cdf)". */
  sourceShape: string;
  orgs: PlannedOrg[];
  orgUnits: string[];
  departments: string[];
  roles: string[];
  wfcs: PlannedWfc[];
  users: PlannedUser[];
  services: PlannedService[];
  notMapped: ImportProblem[];
  warnings: ImportProblem[];
}

export interface EntityCounts {
  created: number;
  updated: number;
  unchanged: number;
  notMapped: number;
}

export interface ImportReport {
  format: string;
  source: string;
  sourceShape: string;
  dryRun: boolean;
  counts: Record<ImportEntity, EntityCounts>;
  notMapped: ImportProblem[];
  warnings: ImportProblem[];
}

export const IMPORT_ENTITIES: readonly ImportEntity[] = [
  "org",
  "ou",
  "dept",
  "role",
  "wfc",
  "user",
  "service",
];

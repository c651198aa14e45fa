// Writes an import plan (services/import-plan.ts) in ONE transaction: records are matched by
// name, created when absent and updated when different, so running the same import again
// changes nothing. Each change is recorded in the audit trail as adminops' own changes are;
// a user whose password, roles or wfc change loses their sessions and earlier tokens (the
// credentials hook), exactly as with `adminops passwd`/`setroles`. A dry run does all of it and
// rolls back, so its report is exactly what a real run would do.
import { storedHashScheme } from "../../passwords/verify-password.js";
import type { NamedKind } from "../entity-kinds.js";
import {
  type EntityCounts,
  IMPORT_ENTITIES,
  type ImportEntity,
  type ImportPlan,
  type ImportProblem,
  type ImportReport,
  type PlannedUser,
} from "../import-plan.js";
import type { Tx } from "../transactions.js";
import type { AdminContext } from "./context.js";
import { namedTable } from "./named-tables.js";
import type { AdminChange, CredentialsChange } from "./writes.js";

/** A whole database in one transaction: far longer than one record's 5 s. */
const IMPORT_TRANSACTION_TIMEOUT_MS = 30 * 60 * 1000;

/** Thrown at the end of a dry run to roll everything back; carries the report out. */
class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super("dry run: rolled back");
  }
}

type Outcome = "created" | "updated" | "unchanged";

export function importRules({ writes }: AdminContext) {
  return {
    async importRecords(
      plan: ImportPlan,
      options: { dryRun?: boolean } = {},
    ): Promise<ImportReport> {
      const dryRun = options.dryRun ?? false;
      try {
        return await writes.changingMany(
          `the import from ${plan.source}`,
          async (tx, record) => {
            const report = await applyPlan(tx, plan, record, writes.credentialsChanged, dryRun);
            if (dryRun) throw new DryRunRollback(report);
            return report;
          },
          { timeoutMs: IMPORT_TRANSACTION_TIMEOUT_MS },
        );
      } catch (error) {
        const rollback = error instanceof DryRunRollback ? error : (error as Error)?.cause;
        if (rollback instanceof DryRunRollback) return rollback.report;
        throw error;
      }
    },
  };
}

async function applyPlan(
  tx: Tx,
  plan: ImportPlan,
  record: (change: AdminChange) => Promise<void>,
  credentialsChanged: (tx: Tx, usernames: string[], reason: CredentialsChange) => Promise<void>,
  dryRun: boolean,
): Promise<ImportReport> {
  const counts = Object.fromEntries(
    IMPORT_ENTITIES.map((entity) => [
      entity,
      { created: 0, updated: 0, unchanged: 0, notMapped: 0 } satisfies EntityCounts,
    ]),
  ) as Record<ImportEntity, EntityCounts>;
  const notMapped: ImportProblem[] = [...plan.notMapped];
  const warnings: ImportProblem[] = [...plan.warnings];
  const details = { imported_from: plan.format };
  const count = async (kind: ImportEntity, name: string, outcome: Outcome) => {
    counts[kind][outcome] += 1;
    if (outcome !== "unchanged") await record({ kind, name, action: outcome, details });
  };

  for (const org of plan.orgs) {
    const row = await tx.organization.findUnique({ where: { name: org.name } });
    const data = { orgtype: org.orgtype, authBackend: org.authBackend };
    const differs =
      row !== null && (row.orgtype !== data.orgtype || row.authBackend !== data.authBackend);
    if (!row) await tx.organization.create({ data: { name: org.name, ...data } });
    else if (differs) await tx.organization.update({ where: { id: row.id }, data });
    await count("org", org.name, !row ? "created" : differs ? "updated" : "unchanged");
  }
  const named: [NamedKind, string[]][] = [
    ["ou", plan.orgUnits],
    ["dept", plan.departments],
    ["role", plan.roles],
  ];
  for (const [kind, names] of named) {
    for (const name of names) {
      const table = namedTable(tx, kind);
      const exists = await table.findUnique({ where: { name } });
      if (!exists) await table.create({ data: { name } });
      await count(kind, name, exists ? "unchanged" : "created");
    }
  }

  for (const wfc of plan.wfcs) {
    // Every link was imported just above (the planner only keeps wfcs whose links it keeps).
    const orgId = (await tx.organization.findUniqueOrThrow({ where: { name: wfc.org } })).id;
    const orgUnitId = (await tx.orgUnit.findUniqueOrThrow({ where: { name: wfc.orgUnit } })).id;
    const departmentId = (
      await tx.department.findUniqueOrThrow({ where: { name: wfc.department } })
    ).id;
    const data = { orgId, orgUnitId, departmentId };
    const row = await tx.workFunctionContext.findUnique({ where: { name: wfc.name } });
    const differs =
      row !== null &&
      (row.orgId !== orgId || row.orgUnitId !== orgUnitId || row.departmentId !== departmentId);
    if (!row) await tx.workFunctionContext.create({ data: { name: wfc.name, ...data } });
    else if (differs) {
      await tx.workFunctionContext.update({ where: { id: row.id }, data });
      // The wfc's users get other claims in their next tokens: end their current ones.
      const users = await tx.user.findMany({
        where: { wfcId: row.id },
        select: { username: true },
      });
      await credentialsChanged(
        tx,
        users.map((user) => user.username),
        "wfc_changed",
      );
    }
    await count("wfc", wfc.name, !row ? "created" : differs ? "updated" : "unchanged");
  }

  for (const user of plan.users) {
    const outcome = await applyUser(tx, user, warnings, credentialsChanged);
    if (typeof outcome === "string") await count("user", user.username, outcome);
    else notMapped.push(outcome);
  }

  for (const service of plan.services) {
    const row = await tx.service.findUnique({ where: { name: service.name } });
    const data = {
      passwordHash: service.passwordHash,
      endpointUrlInternal: service.urlInternal,
      endpointUrlExternal: service.urlExternal,
      endpointUrlAdmin: service.urlAdmin,
    };
    // A service password set on this server since (argon2id) is kept, as for users.
    if (row && keepsOwnPassword(row.passwordHash, service.passwordHash)) {
      data.passwordHash = row.passwordHash;
    }
    const differs =
      row !== null &&
      (row.passwordHash !== data.passwordHash ||
        row.endpointUrlInternal !== data.endpointUrlInternal ||
        row.endpointUrlExternal !== data.endpointUrlExternal ||
        row.endpointUrlAdmin !== data.endpointUrlAdmin);
    if (!row) await tx.service.create({ data: { name: service.name, ...data } });
    else if (differs) await tx.service.update({ where: { id: row.id }, data });
    await count("service", service.name, !row ? "created" : differs ? "updated" : "unchanged");
  }

  for (const problem of notMapped) {
    if (problem.entity !== "role grant") counts[problem.entity].notMapped += 1;
  }
  return {
    format: plan.format,
    source: plan.source,
    sourceShape: plan.sourceShape,
    dryRun,
    counts,
    notMapped: inEntityOrder(notMapped),
    warnings: inEntityOrder(warnings),
  };
}

/** Problems grouped by kind of record (orgs first, role grants last), otherwise as found. */
function inEntityOrder(problems: ImportProblem[]): ImportProblem[] {
  const rank = (problem: ImportProblem) =>
    problem.entity === "role grant"
      ? IMPORT_ENTITIES.length
      : IMPORT_ENTITIES.indexOf(problem.entity);
  return [...problems].sort((a, b) => rank(a) - rank(b));
}

/**
 * A hash this server wrote (argon2id: the user logged in since the last import, or an admin set
 * a password here) wins over the source's legacy hash: re-running an import must not undo a
 * password change or an upgrade. A legacy hash that differs is taken: the password was changed
 * in the old system meanwhile.
 */
function keepsOwnPassword(current: string | null, incoming: string | null): boolean {
  return current !== null && current !== incoming && storedHashScheme(current) === "argon2";
}

/** Creates or updates one user; a problem instead when it cannot be mapped after all. */
async function applyUser(
  tx: Tx,
  user: PlannedUser,
  warnings: ImportProblem[],
  credentialsChanged: (tx: Tx, usernames: string[], reason: CredentialsChange) => Promise<void>,
): Promise<Outcome | ImportProblem> {
  let wfcId: number | null = null;
  if (user.wfc !== null) {
    const wfc = await tx.workFunctionContext.findUnique({ where: { name: user.wfc } });
    if (!wfc) {
      const reason = user.wfcNotImported
        ? `its wfc "${user.wfc}" was not imported (see the wfc) and this server has no wfc of that name; create one with adminops addwfc and import again`
        : `its wfc "${user.wfc}" does not exist on this server`;
      return { entity: "user", name: user.username, reason };
    }
    if (user.wfcNotImported) {
      warnings.push({
        entity: "user",
        name: user.username,
        reason: `linked to the wfc "${user.wfc}" already on this server (the source's could not be imported)`,
      });
    }
    wfcId = wfc.id;
  }
  const roles = await tx.role.findMany({ where: { name: { in: user.roles } } });
  const roleIds = user.roles.flatMap((name) =>
    roles.filter((role) => role.name === name).map((role) => role.id),
  );

  let email = user.email;
  if (email !== null) {
    const holder = await tx.user.findUnique({ where: { email }, select: { username: true } });
    if (holder && holder.username !== user.username) {
      warnings.push({
        entity: "user",
        name: user.username,
        reason: `imported without its e-mail: "${email}" is the e-mail of user "${holder.username}" on this server (e-mails are unique)`,
      });
      email = null;
    }
  }

  const row = await tx.user.findUnique({
    where: { username: user.username },
    include: { roles: { select: { roleId: true } } },
  });
  if (!row) {
    await tx.user.create({
      data: {
        username: user.username,
        email,
        passwordHash: user.passwordHash,
        wfcId,
        roles: { create: roleIds.map((roleId) => ({ roleId })) },
      },
    });
    return "created";
  }

  const keepPassword = keepsOwnPassword(row.passwordHash, user.passwordHash);
  if (keepPassword) {
    warnings.push({
      entity: "user",
      name: user.username,
      reason: "kept the password set on this server (argon2id) instead of the source's",
    });
  }
  const passwordChanged = !keepPassword && row.passwordHash !== user.passwordHash;
  const currentRoles = row.roles.map((link) => link.roleId).sort((a, b) => a - b);
  const rolesChanged = currentRoles.join(",") !== [...roleIds].sort((a, b) => a - b).join(",");
  const wfcChanged = row.wfcId !== wfcId;
  const emailChanged = row.email !== email;
  if (!passwordChanged && !rolesChanged && !wfcChanged && !emailChanged) return "unchanged";

  await tx.user.update({
    where: { id: row.id },
    data: {
      email,
      wfcId,
      ...(passwordChanged ? { passwordHash: user.passwordHash } : {}),
    },
  });
  if (rolesChanged) {
    await tx.userRole.deleteMany({ where: { userId: row.id } });
    await tx.userRole.createMany({ data: roleIds.map((roleId) => ({ userId: row.id, roleId })) });
  }
  const reason: CredentialsChange | null = passwordChanged
    ? "password_changed"
    : rolesChanged
      ? "roles_changed"
      : wfcChanged
        ? "wfc_changed"
        : null;
  if (reason) await credentialsChanged(tx, [row.username], reason);
  return "updated";
}

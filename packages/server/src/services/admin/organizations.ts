// Organizations, org units and departments: named records that wfcs point at. One still used by
// a wfc cannot be deleted (the wfcs are named in the refusal).
import { AppError } from "../../errors.js";
import { describeSome } from "../entity-kinds.js";
import type { NamedRecord, OrganizationRecord } from "../records.js";
import { reading, type Tx } from "../transactions.js";
import type { AdminContext } from "./context.js";
import { addNamed, createNamed, deleteNamed, getNamed, listNamed } from "./named-tables.js";

type OrganizationKind = "org" | "ou" | "dept";

export function organizationRules(context: AdminContext) {
  const { db } = context;

  /** Refuses to delete an org, ou or dept that a wfc still uses. */
  const refuseIfUsedByWfcs =
    (kind: OrganizationKind) => async (tx: Tx, row: NamedRecord, subject: string) => {
      const where =
        kind === "org"
          ? { orgId: row.id }
          : kind === "ou"
            ? { orgUnitId: row.id }
            : { departmentId: row.id };
      const total = await tx.workFunctionContext.count({ where });
      if (total === 0) return;
      const wfcs = await tx.workFunctionContext.findMany({
        where,
        select: { name: true },
        orderBy: { id: "asc" },
        take: 5,
      });
      throw new AppError(
        "STILL_REFERENCED",
        `${subject} is still used by ${describeSome(
          "wfc",
          wfcs.map((wfc) => wfc.name),
          total,
        )}; delete or change those first`,
      );
    };

  return {
    addOrg: (name: string, options: { orgtype?: string } = {}): Promise<OrganizationRecord> =>
      addNamed(context, "org", name, async (tx, saved) => {
        const org = await tx.organization.create({
          data: { name: saved, orgtype: options.orgtype ?? "internal", authBackend: "standard" },
        });
        return { id: org.id, name: org.name, orgtype: org.orgtype };
      }),
    addOrgUnit: (name: string) =>
      addNamed(context, "ou", name, (tx, saved) => createNamed(tx, "ou", saved)),
    addDepartment: (name: string) =>
      addNamed(context, "dept", name, (tx, saved) => createNamed(tx, "dept", saved)),

    listOrgs: async (): Promise<OrganizationRecord[]> => {
      const rows = await reading(() => db.prisma.organization.findMany({ orderBy: { id: "asc" } }));
      return rows.map((row) => ({ id: row.id, name: row.name, orgtype: row.orgtype }));
    },
    listOrgUnits: () => listNamed(context, "ou"),
    listDepartments: () => listNamed(context, "dept"),

    getOrg: async (name: string): Promise<OrganizationRecord | null> => {
      const found = await getNamed(context, "org", name);
      if (!found) return null;
      const row = await reading(() =>
        db.prisma.organization.findUnique({ where: { id: found.id } }),
      );
      return row ? { id: row.id, name: row.name, orgtype: row.orgtype } : null;
    },
    getOrgUnit: (name: string) => getNamed(context, "ou", name),
    getDepartment: (name: string) => getNamed(context, "dept", name),

    deleteOrg: (name: string) => deleteNamed(context, "org", name, refuseIfUsedByWfcs("org")),
    deleteOrgUnit: (name: string) => deleteNamed(context, "ou", name, refuseIfUsedByWfcs("ou")),
    deleteDepartment: (name: string) =>
      deleteNamed(context, "dept", name, refuseIfUsedByWfcs("dept")),
  };
}

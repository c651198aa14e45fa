// Work function contexts: a wfc links one org, one org unit and one department, all of which must
// exist. One that a user still has cannot be deleted (the users are named in the refusal).
import { z } from "zod";
import { AppError } from "../../errors.js";
import { describeEntity, describeSome } from "../entity-kinds.js";
import { toWfcRecord, type WfcRecord, wfcInclude } from "../records.js";
import { reading } from "../transactions.js";
import { existingNameSchema, nameSchema, validate } from "../validation.js";
import type { AdminContext } from "./context.js";
import { nameInput } from "./named-tables.js";
import { unknownReferences } from "./unknown-references.js";

const newWfcInput = z.object({
  name: nameSchema,
  org: existingNameSchema,
  ou: existingNameSchema,
  dept: existingNameSchema,
});

export function wfcRules({ db, writes }: AdminContext) {
  return {
    async addWfc(
      rawName: string,
      rawOrg: string,
      rawOrgUnit: string,
      rawDepartment: string,
    ): Promise<WfcRecord> {
      const input = validate(newWfcInput, {
        name: rawName,
        org: rawOrg,
        ou: rawOrgUnit,
        dept: rawDepartment,
      });
      const subject = describeEntity("wfc", input.name);
      return writes.changing({ kind: "wfc", name: input.name, action: "created" }, async (tx) => {
        if (await tx.workFunctionContext.findUnique({ where: { name: input.name } })) {
          throw new AppError("ALREADY_EXISTS", `${subject} already exists`);
        }
        // One after the other: a transaction is one connection, and pg refuses overlapping queries.
        const org = await tx.organization.findUnique({ where: { name: input.org } });
        const orgUnit = await tx.orgUnit.findUnique({ where: { name: input.ou } });
        const department = await tx.department.findUnique({ where: { name: input.dept } });
        if (!org || !orgUnit || !department) {
          throw unknownReferences(`cannot register ${subject}`, [
            ...(org ? [] : [{ field: "org", kind: "org", name: input.org } as const]),
            ...(orgUnit ? [] : [{ field: "ou", kind: "ou", name: input.ou } as const]),
            ...(department ? [] : [{ field: "dept", kind: "dept", name: input.dept } as const]),
          ]);
        }
        const row = await tx.workFunctionContext.create({
          data: {
            name: input.name,
            orgId: org.id,
            orgUnitId: orgUnit.id,
            departmentId: department.id,
          },
          include: wfcInclude,
        });
        return toWfcRecord(row);
      });
    },

    async listWfcs(): Promise<WfcRecord[]> {
      const rows = await reading(() =>
        db.prisma.workFunctionContext.findMany({ include: wfcInclude, orderBy: { id: "asc" } }),
      );
      return rows.map(toWfcRecord);
    },

    async getWfc(rawName: string): Promise<WfcRecord | null> {
      const { name } = validate(nameInput, { name: rawName });
      const row = await reading(() =>
        db.prisma.workFunctionContext.findUnique({ where: { name }, include: wfcInclude }),
      );
      return row ? toWfcRecord(row) : null;
    },

    async deleteWfc(rawName: string): Promise<WfcRecord> {
      const { name } = validate(nameInput, { name: rawName });
      const subject = describeEntity("wfc", name);
      return writes.changing({ kind: "wfc", name, action: "deleted" }, async (tx) => {
        const row = await tx.workFunctionContext.findUnique({
          where: { name },
          include: wfcInclude,
        });
        if (!row) throw new AppError("NOT_FOUND", `${subject} not found`);
        const total = await tx.user.count({ where: { wfcId: row.id } });
        if (total > 0) {
          const users = await tx.user.findMany({
            where: { wfcId: row.id },
            select: { username: true },
            orderBy: { id: "asc" },
            take: 5,
          });
          throw new AppError(
            "STILL_REFERENCED",
            `${subject} is still used by ${describeSome(
              "user",
              users.map((user) => user.username),
              total,
            )}; delete those users or move them to another wfc first`,
          );
        }
        await tx.workFunctionContext.delete({ where: { id: row.id } });
        return toWfcRecord(row);
      });
    },
  };
}

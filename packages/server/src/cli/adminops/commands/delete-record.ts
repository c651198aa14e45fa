// Shared by `delete` and `deleteservice`: confirm (unless --yes), then delete one record.
import { AppError } from "../../../errors.js";
import type { EntityKind } from "../../../services/entity-kinds.js";
import { confirmAction } from "../../shared/confirm.js";
import type { AdminopsContext } from "../context.js";
import { describeEntity, ENTITY_OPERATIONS } from "../entities.js";

export async function deleteRecord(
  kind: EntityKind,
  name: string,
  ctx: AdminopsContext,
): Promise<number> {
  const operations = ENTITY_OPERATIONS[kind];
  const service = await ctx.adminService();
  const subject = describeEntity(kind, name);
  if ((await operations.get(service, name)) === null) {
    throw new AppError("NOT_FOUND", `${subject} not found`);
  }
  const outcome = await confirmAction(ctx.io, `Delete ${subject}?`, ctx.globals.yes);
  if (outcome === "no-terminal") {
    ctx.io.err(
      `adminops: error: not deleting ${subject}: confirmation needed but standard input is not a terminal; pass --yes to delete without asking\n`,
    );
    return 1;
  }
  if (outcome === "declined") {
    ctx.io.err("Aborting deletion\n");
    return 1;
  }
  const deleted = await operations.delete(service, name);
  const json = operations.toJson ? operations.toJson(deleted as never) : deleted;
  ctx.print(() => `${subject} deleted\n`, { deleted: kind, record: json });
  return 0;
}

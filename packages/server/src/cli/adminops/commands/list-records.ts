// Shared by `list` and `listservice`: all records (`-n all`, the default) or one by name.
import { AppError } from "../../../errors.js";
import type { EntityKind } from "../../../services/entity-kinds.js";
import { formatTable } from "../../shared/table.js";
import type { AdminopsContext } from "../context.js";
import { describeEntity, ENTITY_OPERATIONS, pluralLabel } from "../entities.js";

export async function listRecords(
  kind: EntityKind,
  name: string,
  ctx: AdminopsContext,
): Promise<number> {
  const operations = ENTITY_OPERATIONS[kind];
  const service = await ctx.adminService();
  const toJson = (record: unknown) =>
    operations.toJson ? operations.toJson(record as never) : record;
  const table = (records: unknown[]) =>
    formatTable(
      operations.headers,
      records.map((record) => operations.row(record as never)),
    );
  if (name === "all") {
    const records = await operations.list(service);
    ctx.print(
      () => (records.length === 0 ? `no ${pluralLabel(kind)} registered\n` : table(records)),
      records.map(toJson),
    );
    return 0;
  }
  const record = await operations.get(service, name);
  if (record === null) throw new AppError("NOT_FOUND", `${describeEntity(kind, name)} not found`);
  ctx.print(() => table([record]), toJson(record));
  return 0;
}

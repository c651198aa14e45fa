// Orgs, org units, departments and roles are "just a name" tables. Prisma's delegates differ only
// in types, so each is viewed through one small interface; the rules for each kind live in
// organizations.ts and roles.ts.
import { z } from "zod";
import type { Database } from "../../db/open-database.js";
import { AppError } from "../../errors.js";
import { describeEntity, type NamedKind } from "../entity-kinds.js";
import type { NamedRecord } from "../records.js";
import { reading, type Tx } from "../transactions.js";
import { existingNameSchema, nameSchema, validate } from "../validation.js";
import type { AdminContext } from "./context.js";

interface NamedDelegate {
  findUnique(args: { where: { name: string } }): Promise<NamedRecord | null>;
  findMany(args: { orderBy: { id: "asc" } }): Promise<NamedRecord[]>;
  create(args: { data: { name: string } }): Promise<NamedRecord>;
  delete(args: { where: { id: number } }): Promise<unknown>;
}

export function namedTable(tx: Tx | Database["prisma"], kind: NamedKind): NamedDelegate {
  const tables = {
    org: tx.organization,
    ou: tx.orgUnit,
    dept: tx.department,
    role: tx.role,
  };
  return tables[kind] as unknown as NamedDelegate;
}

/** A record to look up, change or delete. */
export const nameInput = z.object({ name: existingNameSchema });
/** A record to create. */
const newNameInput = z.object({ name: nameSchema });

/** Validates a new name and refuses one that exists; `create` saves it in the same transaction. */
export async function addNamed<T>(
  { writes }: AdminContext,
  kind: NamedKind,
  rawName: string,
  create: (tx: Tx, name: string) => Promise<T>,
): Promise<T> {
  const { name } = validate(newNameInput, { name: rawName });
  return writes.changing({ kind, name, action: "created" }, async (tx) => {
    if (await namedTable(tx, kind).findUnique({ where: { name } })) {
      throw new AppError("ALREADY_EXISTS", `${describeEntity(kind, name)} already exists`);
    }
    return create(tx, name);
  });
}

export async function createNamed(tx: Tx, kind: NamedKind, name: string): Promise<NamedRecord> {
  const created = await namedTable(tx, kind).create({ data: { name } });
  return { id: created.id, name: created.name };
}

export async function listNamed({ db }: AdminContext, kind: NamedKind): Promise<NamedRecord[]> {
  const rows = await reading(() =>
    namedTable(db.prisma, kind).findMany({ orderBy: { id: "asc" } }),
  );
  return rows.map((row) => ({ id: row.id, name: row.name }));
}

export async function getNamed(
  { db }: AdminContext,
  kind: NamedKind,
  rawName: string,
): Promise<NamedRecord | null> {
  const { name } = validate(nameInput, { name: rawName });
  const row = await reading(() => namedTable(db.prisma, kind).findUnique({ where: { name } }));
  return row ? { id: row.id, name: row.name } : null;
}

/**
 * Deletes the record named `rawName` (NOT_FOUND when absent) after `beforeDelete`, the kind's own
 * rule, has run in the same transaction (it may refuse by throwing).
 */
export async function deleteNamed(
  { writes }: AdminContext,
  kind: NamedKind,
  rawName: string,
  beforeDelete: (tx: Tx, row: NamedRecord, subject: string) => Promise<void>,
): Promise<NamedRecord> {
  const { name } = validate(nameInput, { name: rawName });
  const subject = describeEntity(kind, name);
  return writes.changing({ kind, name, action: "deleted" }, async (tx) => {
    const row = await namedTable(tx, kind).findUnique({ where: { name } });
    if (!row) throw new AppError("NOT_FOUND", `${subject} not found`);
    await beforeDelete(tx, row, subject);
    await namedTable(tx, kind).delete({ where: { id: row.id } });
    return { id: row.id, name: row.name };
  });
}

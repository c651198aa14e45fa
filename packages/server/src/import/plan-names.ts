// Checks source values against this server's input rules (services/validation.ts, the same rules
// adminops and the admin API apply) while an import plan is built: a value that fails becomes a
// "not mapped" entry with the rule's own words, never an error that stops the import.
import type { z } from "zod";
import type { ImportEntity, ImportProblem } from "../services/import-plan.js";
import { nameSchema } from "../services/validation.js";

export class PlanProblems {
  readonly notMapped: ImportProblem[] = [];
  readonly warnings: ImportProblem[] = [];

  skip(entity: ImportProblem["entity"], name: string, reason: string): void {
    this.notMapped.push({ entity, name, reason });
  }

  warn(entity: ImportProblem["entity"], name: string, reason: string): void {
    this.warnings.push({ entity, name, reason });
  }
}

/** The first problem zod reports for `value`, or null when it passes. */
export function ruleProblem(schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  return result.success ? null : (result.error.issues[0]?.message ?? "is not valid");
}

/**
 * Valid, unique names of one kind: records whose name breaks the rules or repeats an earlier
 * one (after trimming) are skipped with the reason. Returns source id → accepted name.
 */
export function acceptNames(
  entity: ImportEntity,
  records: readonly { id: number; name: string | null }[],
  problems: PlanProblems,
): Map<number, string> {
  const accepted = new Map<number, string>();
  const firstWithName = new Map<string, number>();
  for (const record of records) {
    const label = record.name ?? `(id ${record.id})`;
    if (record.name === null) {
      problems.skip(entity, label, "has no name");
      continue;
    }
    const problem = ruleProblem(nameSchema, record.name);
    if (problem !== null) {
      problems.skip(entity, label, `name ${problem}`);
      continue;
    }
    const name = record.name.trim();
    const earlier = firstWithName.get(name);
    if (earlier !== undefined) {
      problems.skip(entity, label, `same name as id ${earlier} once spaces are trimmed`);
      continue;
    }
    firstWithName.set(name, record.id);
    accepted.set(record.id, name);
  }
  return accepted;
}

import { AppError } from "../errors.js";
import type { ImportPlan } from "../services/import-plan.js";
import { planTokenleader1Import } from "./plan-tokenleader1.js";
import { openSourceDatabase, sourceUnreadable } from "./source-database.js";
import { parseSourceLocation } from "./source-url.js";
import { readTokenleader1 } from "./tokenleader1-snapshot.js";

/**
 * Reads the tokenleader 1.x database at `from` (a path or SQLAlchemy URL) into an import plan.
 * Only reads; every failure is one IMPORT_SOURCE_UNREADABLE line naming the source.
 */
export async function readTokenleader1Plan(from: string, cwd: string): Promise<ImportPlan> {
  const location = parseSourceLocation(from, cwd);
  const source = await openSourceDatabase(location);
  try {
    const snapshot = await readTokenleader1(source);
    return planTokenleader1Import(snapshot, source.description);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw sourceUnreadable(
      source.description,
      error,
      location.kind === "sqlite"
        ? ""
        : location.kind === "mysql"
          ? location.url.href
          : location.connectionString,
    );
  } finally {
    await source.close();
  }
}

// `db-migration <name>`: writes the next migration for every provider from the change to
// prisma/models.prisma. Each migration folder keeps a copy of the models it was made from
// (models.prisma); the new migration is the engine's diff from the newest copy to the current
// models. So no database (and no shadow database) is needed to create a migration.
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { DatabaseProvider } from "../../db/database-url.js";
import { DatabaseMigrationFailedError } from "../../db/errors.js";
import {
  datamodelSnapshotFileName,
  migrationFileName,
  migrationLockContent,
  migrationLockFileName,
  readMigrationFolders,
} from "../../db/migration-files.js";
import { migrationsDirPath, modelsFilePath } from "../../db/prisma-paths.js";
import { diffModels, isEmptyMigrationScript } from "../../db/schema-diff.js";

export const migrationProviders: readonly DatabaseProvider[] = ["sqlite", "postgresql"];

export class MigrationNameError extends Error {
  readonly code = "MIGRATION_NAME_INVALID";
}

export type CreateMigrationResult =
  | { status: "no-changes" }
  | { status: "created"; migrationName: string; folders: string[] };

export interface CreateMigrationOptions {
  name: string;
  prismaDir: string;
  /** Injected by tests; the folder timestamp is taken from it (UTC). */
  now?: Date;
}

/** Prisma's convention: lower-case words joined by underscores. */
export function normaliseMigrationName(raw: string): string {
  const name = raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
  if (!/^[a-z0-9_]{1,64}$/.test(name)) {
    throw new MigrationNameError(
      `invalid migration name "${raw}": use 1 to 64 letters, digits, "-" or "_" (e.g. add_sessions)`,
    );
  }
  return name;
}

export async function createMigration(
  options: CreateMigrationOptions,
): Promise<CreateMigrationResult> {
  const name = normaliseMigrationName(options.name);
  const models = await readFile(modelsFilePath(options.prismaDir), "utf8");

  const plans: { provider: DatabaseProvider; dir: string; sql: string; latest: string | null }[] =
    [];
  for (const provider of migrationProviders) {
    const dir = migrationsDirPath(provider, options.prismaDir);
    const folders = await readMigrationFolders(dir);
    const latest = folders.at(-1)?.name ?? null;
    const previousModels = latest === null ? null : await readSnapshot(dir, latest);
    const sql = withoutPublicSchemaCreation(await diffModels(provider, previousModels, models));
    plans.push({ provider, dir, sql, latest });
  }
  if (plans.every((plan) => isEmptyMigrationScript(plan.sql))) return { status: "no-changes" };

  const migrationName = `${nextTimestamp(options.now ?? new Date(), plans)}_${name}`;
  const folders: string[] = [];
  for (const plan of plans) {
    folders.push(
      await writeMigrationFolder(plan.provider, plan.dir, migrationName, plan.sql, models),
    );
  }
  return { status: "created", migrationName, folders };
}

/**
 * The engine starts a PostgreSQL migration from an empty database with
 * `CREATE SCHEMA IF NOT EXISTS "public"`. PostgreSQL checks the CREATE privilege on the database
 * before looking whether the schema exists, so that line fails for a least-privilege application
 * role even though `public` always exists. Dropped; the drift test proves the result still matches.
 */
export function withoutPublicSchemaCreation(sql: string): string {
  return sql.replace(/-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";\n\n?/, "");
}

async function readSnapshot(migrationsDir: string, migrationName: string): Promise<string> {
  const file = path.join(migrationsDir, migrationName, datamodelSnapshotFileName);
  try {
    return await readFile(file, "utf8");
  } catch {
    throw new DatabaseMigrationFailedError(
      `${file} is missing: the newest migration must keep a copy of the models it was made from`,
    );
  }
}

/** YYYYMMDDHHMMSS (UTC), later than every existing migration so the order stays right. */
function nextTimestamp(now: Date, plans: { latest: string | null }[]): string {
  let stamp = formatTimestamp(now);
  for (const plan of plans) {
    const previous = plan.latest?.slice(0, 14);
    if (previous !== undefined && stamp <= previous) stamp = (BigInt(previous) + 1n).toString();
  }
  return stamp;
}

function formatTimestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    String(date.getUTCFullYear()) +
    pad(date.getUTCMonth() + 1) +
    pad(date.getUTCDate()) +
    pad(date.getUTCHours()) +
    pad(date.getUTCMinutes()) +
    pad(date.getUTCSeconds())
  );
}

/** Written beside its final place and renamed, so a failure never leaves a half migration. */
async function writeMigrationFolder(
  provider: DatabaseProvider,
  migrationsDir: string,
  migrationName: string,
  sql: string,
  models: string,
): Promise<string> {
  await mkdir(migrationsDir, { recursive: true });
  const lockFile = path.join(migrationsDir, migrationLockFileName);
  if (!existsSync(lockFile)) await writeFile(lockFile, migrationLockContent(provider));
  const finalDir = path.join(migrationsDir, migrationName);
  const tempDir = path.join(migrationsDir, `.tmp-${migrationName}`);
  await rm(tempDir, { recursive: true, force: true });
  await mkdir(tempDir);
  await writeFile(path.join(tempDir, migrationFileName), sql);
  await writeFile(path.join(tempDir, datamodelSnapshotFileName), models);
  await rename(tempDir, finalDir);
  return finalDir;
}

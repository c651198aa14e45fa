import { createHash } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTestDatabase, describeEachProvider } from "../../test/helpers/test-databases.js";
import type { DatabaseProvider } from "./database-url.js";
import { DatabaseMigrationFailedError, DatabaseNotInitialisedError } from "./errors.js";
import { datamodelSnapshotFileName, readMigrationFolders } from "./migration-files.js";
import { applyMigrations, assertDatabaseMigrated, migrationStatus } from "./migrations.js";
import { openDatabase } from "./open-database.js";
import { migrationsDirPath, modelsFilePath } from "./prisma-paths.js";
import { diffDatabaseToModels, isEmptyMigrationScript } from "./schema-diff.js";

describeEachProvider("committed migrations", (ctx) => {
  it("bring an empty database exactly to prisma/models.prisma (no drift)", async () => {
    const models = await readFile(modelsFilePath(), "utf8");
    const drift = await diffDatabaseToModels(ctx.db, models);
    expect(
      drift,
      `migrations differ from models.prisma; run pnpm db:migration:\n${drift}`,
    ).toSatisfy(isEmptyMigrationScript);
  });

  it("newest migration keeps a copy of the current models (db-migration diffs from it)", async () => {
    const dir = migrationsDirPath(ctx.provider);
    const newest = (await readMigrationFolders(dir)).at(-1)!;
    const snapshot = await readFile(path.join(dir, newest.name, datamodelSnapshotFileName), "utf8");
    expect(snapshot).toBe(await readFile(modelsFilePath(), "utf8"));
  });

  it("drift check notices a model the migrations do not create", async () => {
    const models = await readFile(modelsFilePath(), "utf8");
    const changed = `${models}\nmodel DriftProbe {\n  id Int @id\n\n  @@map("drift_probe")\n}\n`;
    const drift = await diffDatabaseToModels(ctx.db, changed);
    expect(drift).toContain('CREATE TABLE "drift_probe"');
    expect(isEmptyMigrationScript(drift)).toBe(false);
  });

  it("are applied once, in order, and recorded like prisma migrate deploy", async () => {
    const shipped = await readMigrationFolders(migrationsDirPath(ctx.provider));
    expect(shipped.length).toBeGreaterThan(0);
    const { db } = await ctx.createDatabase({ migrate: false });

    expect(await migrationStatus(db)).toEqual({
      initialised: false,
      pending: shipped.map((m) => m.name),
      applied: [],
      failed: [],
    });
    await expect(assertDatabaseMigrated(db)).rejects.toThrow(
      `database at ${db.redactedUrl} is not initialised: run adminops initdb`,
    );

    expect(await applyMigrations(db)).toEqual({ applied: shipped.map((m) => m.name) });
    expect(await migrationStatus(db)).toMatchObject({ initialised: true, pending: [] });
    await assertDatabaseMigrated(db);

    // Idempotent: nothing left to apply, nothing recorded twice.
    expect(await applyMigrations(db)).toEqual({ applied: [] });
    const rows: { migration_name: string; checksum: string; applied_steps_count: unknown }[] =
      await db.prisma.$queryRawUnsafe(
        "SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations ORDER BY migration_name",
      );
    expect(rows.map((r) => [r.migration_name, r.checksum, Number(r.applied_steps_count)])).toEqual(
      shipped.map((m) => [m.name, createHash("sha256").update(m.sql).digest("hex"), 1]),
    );
  });

  it("report a database behind this version, then apply just the new migration", async () => {
    const { db } = await ctx.createDatabase();
    const migrationsDir = await copyMigrationsWith(ctx.provider, {
      "29991231000000_add_future": 'CREATE TABLE "future_thing" ("id" INTEGER NOT NULL);\n',
    });
    try {
      expect(await migrationStatus(db, { migrationsDir })).toMatchObject({
        initialised: true,
        pending: ["29991231000000_add_future"],
      });
      await expect(assertDatabaseMigrated(db, { migrationsDir })).rejects.toThrow(
        `database at ${db.redactedUrl} is missing migrations 29991231000000_add_future: run adminops initdb`,
      );
      expect(await applyMigrations(db, { migrationsDir })).toEqual({
        applied: ["29991231000000_add_future"],
      });
      expect(
        await db.prisma.$queryRawUnsafe('SELECT count(*) AS n FROM "future_thing"'),
      ).toHaveLength(1);
    } finally {
      await rm(migrationsDir, { recursive: true, force: true });
    }
  });

  it("fail a broken migration with DB_MIGRATION_FAILED naming it, and show it as failed", async () => {
    const { db } = await ctx.createDatabase();
    const migrationsDir = await copyMigrationsWith(ctx.provider, {
      "29991231000000_broken": "CREATE TABLE this is not sql;\n",
    });
    try {
      const error = await applyMigrations(db, { migrationsDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseMigrationFailedError);
      expect((error as DatabaseMigrationFailedError).code).toBe("DB_MIGRATION_FAILED");
      expect((error as Error).message).toContain("29991231000000_broken");
      expect(await migrationStatus(db, { migrationsDir })).toMatchObject({
        failed: ["29991231000000_broken"],
        pending: ["29991231000000_broken"],
      });
    } finally {
      await rm(migrationsDir, { recursive: true, force: true });
    }
  });

  it("refuse to work on an unmigrated database with DB_NOT_INITIALISED", async () => {
    const { db } = await ctx.createDatabase({ migrate: false });
    const error = await assertDatabaseMigrated(db).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseNotInitialisedError);
    expect((error as DatabaseNotInitialisedError).code).toBe("DB_NOT_INITIALISED");
  });
});

describe("committed migrations on an SQLite file another process has open", () => {
  // A running server keeps a connection on the file; the schema engine needs it to itself.
  it("an up-to-date database needs no schema engine: applyMigrations returns at once", async () => {
    const test = await createTestDatabase("sqlite");
    const server = await openDatabase(test.url);
    try {
      await server.prisma.user.count();
      const started = Date.now();
      expect(await applyMigrations(test.db)).toEqual({ applied: [] });
      // Well below the 5 s the engine waits for the lock before giving up.
      expect(Date.now() - started).toBeLessThan(2_000);
      // The other connection is untouched.
      expect(await server.prisma.user.count()).toBe(0);
    } finally {
      await server.close();
      await test.cleanup();
    }
  });

  it("pending migrations fail with one line naming them and the fix", {
    timeout: 30_000,
  }, async () => {
    const test = await createTestDatabase("sqlite");
    const server = await openDatabase(test.url);
    const migrationsDir = await copyMigrationsWith("sqlite", {
      "29991231000000_add_future": 'CREATE TABLE "future_thing" ("id" INTEGER NOT NULL);\n',
    });
    try {
      await server.prisma.user.count();
      const error = await applyMigrations(test.db, { migrationsDir }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseMigrationFailedError);
      expect((error as Error).message).toBe(
        `migrating the database at ${test.db.redactedUrl} failed: 1 pending migration (29991231000000_add_future) cannot be applied while another process has the file open: ` +
          "stop the tokenleader-server (or other program) using it and run adminops initdb again, " +
          "or restart tokenleader-server alone and let it apply them at its start",
      );
      // Once the other process has let go, the same call succeeds.
      await server.close();
      expect(await applyMigrations(test.db, { migrationsDir })).toEqual({
        applied: ["29991231000000_add_future"],
      });
    } finally {
      await server.close();
      await rm(migrationsDir, { recursive: true, force: true });
      await test.cleanup();
    }
  });
});

/** A temp copy of the provider's committed migrations plus `extra` folders (name → SQL). */
async function copyMigrationsWith(
  provider: DatabaseProvider,
  extra: Record<string, string>,
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tokenleader-migrations-"));
  await cp(migrationsDirPath(provider), dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

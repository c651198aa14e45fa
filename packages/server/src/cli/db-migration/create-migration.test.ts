import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../test/helpers/test-databases.js";
import { datamodelSnapshotFileName, readMigrationFolders } from "../../db/migration-files.js";
import { applyMigrations } from "../../db/migrations.js";
import { defaultPrismaDir, migrationsDirPath, modelsFilePath } from "../../db/prisma-paths.js";
import { createMigration, normaliseMigrationName } from "./create-migration.js";

const probeModel = `
model DbMigrationProbe {
  id        String   @id
  userId    Int      @map("user_id")
  createdAt DateTime @default(now()) @map("created_at")

  @@index([userId])
  @@map("db_migration_probe")
}
`;

describe("db-migration", () => {
  let prismaDir: string;
  beforeEach(async () => {
    // A copy of the repository's migrations, so the real ones are never touched, with the models
    // of the newest migration (so an uncommitted edit of models.prisma cannot change the outcome).
    prismaDir = await mkdtemp(path.join(os.tmpdir(), "tokenleader-prisma-"));
    await cp(path.join(defaultPrismaDir(), "migrations"), path.join(prismaDir, "migrations"), {
      recursive: true,
    });
    const newest = (await readMigrationFolders(migrationsDirPath("sqlite", prismaDir))).at(-1)!;
    await cp(
      path.join(migrationsDirPath("sqlite", prismaDir), newest.name, datamodelSnapshotFileName),
      modelsFilePath(prismaDir),
    );
  });
  afterEach(async () => {
    await rm(prismaDir, { recursive: true, force: true });
  });

  it("says no changes and writes nothing when the models match the newest migration", async () => {
    const before = await readdir(migrationsDirPath("sqlite", prismaDir));
    expect(await createMigration({ name: "nothing", prismaDir })).toEqual({ status: "no-changes" });
    expect(await readdir(migrationsDirPath("sqlite", prismaDir))).toEqual(before);
  });

  it("writes the next migration for both providers from a model change, applicable on top", async () => {
    await writeFile(
      modelsFilePath(prismaDir),
      (await readFile(modelsFilePath(prismaDir), "utf8")) + probeModel,
    );
    const result = await createMigration({
      name: "Add-Probe",
      prismaDir,
      now: new Date("2999-01-02T03:04:05Z"),
    });
    expect(result).toMatchObject({
      status: "created",
      migrationName: "29990102030405_add_probe",
    });

    for (const provider of ["sqlite", "postgresql"] as const) {
      const folders = await readMigrationFolders(migrationsDirPath(provider, prismaDir));
      const newest = folders.at(-1)!;
      expect(newest.name).toBe("29990102030405_add_probe");
      expect(newest.sql).toContain('CREATE TABLE "db_migration_probe"');
      expect(newest.sql).not.toContain('CREATE TABLE "organization"');
    }
    expect(await createMigration({ name: "again", prismaDir })).toEqual({ status: "no-changes" });

    // The new SQLite migration applies on top of the committed ones.
    const test = await createTestDatabase("sqlite", { migrate: false });
    try {
      const { applied } = await applyMigrations(test.db, {
        migrationsDir: migrationsDirPath("sqlite", prismaDir),
      });
      expect(applied.at(-1)).toBe("29990102030405_add_probe");
    } finally {
      await test.cleanup();
    }
  });

  it("keeps migration timestamps increasing even when the clock is behind", async () => {
    await writeFile(
      modelsFilePath(prismaDir),
      (await readFile(modelsFilePath(prismaDir), "utf8")) + probeModel,
    );
    const result = await createMigration({ name: "late", prismaDir, now: new Date("2000-01-01") });
    const committed = await readMigrationFolders(migrationsDirPath("sqlite", defaultPrismaDir()));
    expect(result.status).toBe("created");
    if (result.status === "created") {
      expect(result.migrationName > committed.at(-1)!.name).toBe(true);
    }
  });

  it("rejects migration names that are not plain words", () => {
    expect(normaliseMigrationName("add sessions")).toBe("add_sessions");
    for (const bad of ["", "../evil", "a;b", "x".repeat(65)]) {
      expect(() => normaliseMigrationName(bad), bad).toThrow(/invalid migration name/);
    }
  });
});

import type { AdminopsCommand } from "../command-module.js";

/** Creates or upgrades the schema by applying the shipped migrations; safe to run again. */
export const initdbCommand: AdminopsCommand = {
  command: "initdb",
  describe: "create or upgrade the database tables (applies pending migrations; idempotent)",
  async run(_argv, ctx) {
    const { applyMigrations, migrationStatus } = await import("../../../db/migrations.js");
    const { withMigrationLock } = await import("../../../db/migration-lock.js");
    // The lock servers take while they open and migrate at start: never two schema engines.
    const { db, applied, status } = await withMigrationLock(ctx.settings().db.url, async () => {
      const db = await ctx.database({ migrated: false });
      const { applied } = await applyMigrations(db);
      return { db, applied, status: await migrationStatus(db) };
    });
    ctx.print(
      () =>
        applied.length === 0
          ? `database at ${db.redactedUrl} is up to date (${status.applied.length} migrations applied earlier)\n`
          : `database at ${db.redactedUrl}: applied ${applied.length} migration${applied.length === 1 ? "" : "s"}\n${applied.map((name) => `  ${name}\n`).join("")}`,
      { database: db.redactedUrl, provider: db.provider, applied, pending: status.pending },
    );
    return 0;
  },
};

// Entry point of `pnpm db:migration <name>` (bin db-migration, development only).
import { readPackageVersion } from "@tokenleader/client/terminal";
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { isDatabaseError } from "../../db/errors.js";
import { defaultPrismaDir } from "../../db/prisma-paths.js";
import { createMigration, MigrationNameError } from "./create-migration.js";

const argv = await yargs(hideBin(process.argv))
  .scriptName("db-migration")
  .usage(
    "$0 <name>\n\nCreates the next migration for SQLite and PostgreSQL from the changes to prisma/models.prisma.",
  )
  .command("$0 <name>", false, (y) =>
    y.positional("name", { type: "string", demandOption: true, describe: "e.g. add_sessions" }),
  )
  .option("prisma-dir", {
    type: "string",
    describe: "folder holding models.prisma and migrations/",
    default: defaultPrismaDir(),
    defaultDescription: "the repository's prisma/",
  })
  .strict()
  .help()
  // This package's package.json: three folders up from src/cli/<name>/ and dist/cli/<name>/ alike.
  .version(readPackageVersion(new URL("../../../package.json", import.meta.url)))
  .parseAsync();

try {
  const result = await createMigration({ name: String(argv.name), prismaDir: argv["prisma-dir"] });
  if (result.status === "no-changes") {
    console.log("no changes: prisma/models.prisma matches the latest migration");
  } else {
    console.log(`created migration ${result.migrationName}:`);
    for (const folder of result.folders) console.log(`  ${folder}`);
  }
  process.exit(0);
} catch (error) {
  if (error instanceof MigrationNameError || isDatabaseError(error)) {
    console.error(`db-migration: ${error.message}`);
    process.exit(2);
  }
  console.error("db-migration: unexpected error");
  console.error(error);
  process.exit(1);
}

// Where the model definition and the migrations live: the top-level prisma/ folder of the
// repository. This file sits in packages/server/src/db/ (compiled: packages/server/dist/db/), four
// levels below the repository root either way.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DatabaseProvider } from "./database-url.js";

export function defaultPrismaDir(): string {
  return fileURLToPath(new URL("../../../../prisma/", import.meta.url));
}

/** prisma/models.prisma: the ONE model definition. */
export function modelsFilePath(prismaDir: string = defaultPrismaDir()): string {
  return path.join(prismaDir, "models.prisma");
}

/** prisma/migrations/<provider>: that provider's migration folders and migration_lock.toml. */
export function migrationsDirPath(
  provider: DatabaseProvider,
  prismaDir: string = defaultPrismaDir(),
): string {
  return path.join(prismaDir, "migrations", provider);
}

// Where the model definition and the migrations live: the top-level prisma/ folder of the
// repository, or — in a packed @tokenleader/server — the copy that `prepack` puts into the
// package's own prisma/ folder. This file sits in packages/server/src/db/ (compiled:
// packages/server/dist/db/), two levels below the package and four below the repository root.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DatabaseProvider } from "./database-url.js";

export function defaultPrismaDir(): string {
  const packaged = fileURLToPath(new URL("../../prisma/", import.meta.url));
  if (existsSync(path.join(packaged, "models.prisma"))) return packaged;
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

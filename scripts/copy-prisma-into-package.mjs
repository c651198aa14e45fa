// `pnpm pack` / `pnpm publish` of @tokenleader/server: the model and migrations live in the
// repository's top-level prisma/ folder, which a published package cannot reach, so a copy goes
// into packages/server/prisma/ (git-ignored). The server looks there first (src/db/prisma-paths.ts),
// so `postpack` (remove-packed-prisma.mjs) removes it again.
//
// The Docker build copies them the same way into the folder `pnpm deploy` made (which holds the
// server package as packed, without a prisma/ folder):
//   node scripts/copy-prisma-into-package.mjs /out/prisma
import { cp, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = process.argv[2]
  ? path.resolve(process.argv[2])
  : path.join(repoRoot, "packages/server/prisma");
await rm(target, { recursive: true, force: true });
await cp(path.join(repoRoot, "prisma/models.prisma"), path.join(target, "models.prisma"));
await cp(path.join(repoRoot, "prisma/migrations"), path.join(target, "migrations"), {
  recursive: true,
});
console.log(
  `copied prisma/models.prisma and prisma/migrations into ${path.relative(repoRoot, target)}`,
);

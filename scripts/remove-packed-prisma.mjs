// `postpack` of @tokenleader/server: removes the packages/server/prisma/ copy that `prepack`
// (copy-prisma-into-package.mjs) made for the tarball. Left behind, that git-ignored copy would
// take precedence over the repository's prisma/ folder (src/db/prisma-paths.ts looks there
// first), so `pnpm db:migration` would write new migrations into the ignored copy.
import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const target = path.join(repoRoot, "packages/server/prisma");
await rm(target, { recursive: true, force: true });
console.log(`removed ${path.relative(repoRoot, target)} (the copy made for the package)`);

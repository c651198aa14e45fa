// Checks a folder made by `pnpm deploy --filter @tokenleader/server` (the Docker image's /app):
// compiled code, the workspace packages it imports, the migrations, and native modules that load
// on this platform. Run by the Docker build, so a broken deploy fails the build instead of the
// first start of a container.
//
// Usage: node scripts/check-deployed-server.mjs <deployed folder>
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/check-deployed-server.mjs <deployed folder>");
  process.exit(2);
}
const root = path.resolve(dir);

const requiredFiles = [
  "package.json",
  "bin/tokenleader-server.js",
  "bin/adminops.js",
  "dist/index.js",
  "dist/cli/tokenleader-server/main.js",
  "dist/cli/adminops/main.js",
  "prisma/models.prisma",
  "prisma/migrations/sqlite/migration_lock.toml",
  "prisma/migrations/postgresql/migration_lock.toml",
  "node_modules/@tokenleader/client/dist/index.js",
  "node_modules/@tokenleader/enforcer/dist/index.js",
];
const missing = requiredFiles.filter((file) => !existsSync(path.join(root, file)));
if (missing.length > 0) {
  console.error(`check-deployed-server: ${root} lacks ${missing.join(", ")}`);
  process.exit(1);
}

try {
  // Native modules, resolved as the server resolves them, built for this Node and platform.
  const require = createRequire(path.join(root, "package.json"));
  const Database = require("better-sqlite3");
  const db = new Database(":memory:");
  db.prepare("select 1").get();
  db.close();
  const argon2 = await import(pathToFileURL(require.resolve("@node-rs/argon2")).href);
  await argon2.hash("check", { memoryCost: 8192, timeCost: 1 });
  // Every import of the server's entry point resolves inside the folder.
  await import(pathToFileURL(path.join(root, "dist/index.js")).href);
} catch (error) {
  console.error(
    `check-deployed-server: ${root}: ${error instanceof Error ? error.message : error}`,
  );
  process.exit(1);
}
console.log(`check-deployed-server: ${root} is complete`);

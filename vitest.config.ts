import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string) => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));

// Tests import the workspace packages from source, so a test never runs against a stale dist/.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@tokenleader\/enforcer\/express$/, replacement: src("enforcer/src/express.ts") },
      { find: /^@tokenleader\/enforcer\/fastify$/, replacement: src("enforcer/src/fastify.ts") },
      { find: /^@tokenleader\/enforcer$/, replacement: src("enforcer/src/index.ts") },
      {
        find: /^@tokenleader\/client\/terminal$/,
        replacement: src("client/src/terminal/index.ts"),
      },
      {
        find: /^@tokenleader\/client\/settings$/,
        replacement: src("client/src/settings/index.ts"),
      },
      {
        find: /^@tokenleader\/client\/http-security$/,
        replacement: src("client/src/http-security/index.ts"),
      },
      { find: /^@tokenleader\/client\/files$/, replacement: src("client/src/files/index.ts") },
      { find: /^@tokenleader\/client$/, replacement: src("client/src/index.ts") },
      { find: /^@tokenleader\/server$/, replacement: src("server/src/index.ts") },
    ],
  },
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "tests/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DOCKERFILE,
  environment,
  execForm,
  healthcheck,
  instructionsOf,
  lastInstruction,
  REPO_ROOT,
  readDockerfile,
  stage,
} from "./support/dockerfile.js";
import { readDockerignore } from "./support/dockerignore.js";

// The rules docker/Dockerfile and .dockerignore must keep (issue 14): a build that fails when a
// step fails, a current Node LTS, a non-root user, a liveness health check, and a build context
// without history, local data or installed files. The image's start path itself is run by
// image-start-path.test.ts.

const dockerfile = readDockerfile();
const build = stage(dockerfile, "build");
const runtime = stage(dockerfile, "runtime");
const runtimeEnv = environment(runtime);

describe("docker/Dockerfile", () => {
  it("never hides a failing step", () => {
    const text = readFileSync(DOCKERFILE, "utf8");
    expect(text).not.toMatch(/\|\|\s*(true|:|exit 0)\b/);
    // Every RUN of the build stage runs under bash -e -u -o pipefail.
    const shell = execForm(lastInstruction(build, "SHELL"));
    expect(shell[0]).toMatch(/\/bash$/);
    expect(shell.join(" ")).toMatch(/-\w*e\w*\b/);
    expect(shell).toContain("pipefail");
    expect(instructionsOf(build, "SHELL")[0]?.line).toBeLessThan(
      instructionsOf(build, "RUN")[0]?.line ?? 0,
    );
  });

  it("builds on a current Node LTS (an even major of at least 22), the same in both stages", () => {
    for (const { from } of dockerfile.stages) {
      const major = Number(/^node:(\d+)/.exec(from)?.[1]);
      expect(major, from).toBeGreaterThanOrEqual(22);
      expect(major % 2, `${from} is not an LTS line`).toBe(0);
    }
    // better-sqlite3 is compiled in the build stage for the runtime stage's Node and libc.
    expect(runtime.from).toBe(build.from);
  });

  it("installs from the lockfile, builds, and deploys the server package with production dependencies", () => {
    const runs = instructionsOf(build, "RUN").map((run) => run.args);
    expect(runs).toContainEqual(expect.stringMatching(/^pnpm install --frozen-lockfile\b/));
    expect(runs).toContain("pnpm build");
    expect(runs).toContainEqual(
      expect.stringMatching(/pnpm deploy --filter @tokenleader\/server --prod .*\/out\b/),
    );
  });

  it("runs as a non-root user, from the deployed folder only, with the data directory as a volume", () => {
    const user = lastInstruction(runtime, "USER").args.split(":")[0];
    expect(user).not.toMatch(/^(root|0)$/);
    const workdir = lastInstruction(runtime, "WORKDIR").args;
    expect(instructionsOf(runtime, "COPY").map((copy) => copy.args)).toEqual([
      `--from=build /out ${workdir}`,
    ]);
    expect(execForm(lastInstruction(runtime, "VOLUME"))).toEqual([runtimeEnv.TOKENLEADER_DATA_DIR]);
    expect(lastInstruction(runtime, "EXPOSE").args).toBe(runtimeEnv.TOKENLEADER_PORT);
  });

  it("starts the server's launcher and checks liveness (/healthz), not readiness", () => {
    const [command, script] = execForm(lastInstruction(runtime, "CMD"));
    expect(command).toBe("node");
    expect(existsSync(join(REPO_ROOT, "packages/server", script ?? ""))).toBe(true);
    const check = healthcheck(lastInstruction(runtime, "HEALTHCHECK"));
    expect(check.command.join(" ")).toContain("/healthz");
    expect(check.command.join(" ")).not.toContain("/readyz");
    expect(check.options).toMatchObject({ interval: expect.any(String), timeout: "5s" });
  });
});

describe(".dockerignore", () => {
  const excluded = readDockerignore();

  it("leaves out history, local data, secrets, installed and built files", () => {
    for (const path of [
      ".git/HEAD",
      "var/tokenleader.db",
      "var/keys/rsa-signing-key.pem",
      "packages/server/var/key-encryption.key",
      "etc/var/initial-admin-password",
      "docker/secrets/db-url",
      "node_modules/.pnpm/lock.yaml",
      "packages/server/node_modules/fastify/package.json",
      "packages/client/dist/index.js",
      "packages/server/dist/.tsbuildinfo",
      "packages/server/src/db/generated/sqlite/client.ts",
      "packages/server/prisma/models.prisma",
      "coverage/index.html",
    ]) {
      expect(excluded(path), path).toBe(true);
    }
  });

  it("keeps every tracked file the build needs", () => {
    const tracked = execFileSync("git", ["ls-files"], { cwd: REPO_ROOT, encoding: "utf8" })
      .split("\n")
      .filter((path) => path !== "");
    const needed = tracked.filter((path) =>
      /^(packages\/[^/]+\/(src|bin)\/|packages\/[^/]+\/(package|tsconfig)\.json$|prisma\/|scripts\/|package\.json$|pnpm-(lock|workspace)\.yaml$|tsconfig(\.base)?\.json$)/.test(
        path,
      ),
    );
    expect(needed.length).toBeGreaterThan(100);
    expect(needed.filter(excluded)).toEqual([]);
  });
});

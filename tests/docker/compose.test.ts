import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { type ComposeService, readCompose, secretPath } from "./support/compose.js";
import {
  COMPOSE_FILE,
  environment,
  execForm,
  lastInstruction,
  REPO_ROOT,
  readDockerfile,
  stage,
} from "./support/dockerfile.js";
import { readDockerignore } from "./support/dockerignore.js";

// docker/compose.yaml cannot be started here (no container engine): its structure is checked
// instead — PostgreSQL with a health check, a one-shot initdb, two replicas configured alike with
// secrets from files, nginx in front — and image-start-path.test.ts runs the replicas'
// environment and initdb's command against the deployed server.

const compose = readCompose();
const services = compose.services;
const composeDir = dirname(COMPOSE_FILE);
const runtime = stage(readDockerfile(), "runtime");
const imageEnv = environment(runtime);
const REPLICAS = ["tokenleader-a", "tokenleader-b"] as const;

function service(name: string): ComposeService {
  const found = services[name];
  if (!found) throw new Error(`docker/compose.yaml has no service ${name}`);
  return found;
}

describe("docker/compose.yaml", () => {
  it("has PostgreSQL, initdb, two tokenleader replicas and a proxy", () => {
    expect(Object.keys(services).sort()).toEqual(
      ["initdb", "postgres", "proxy", ...REPLICAS].sort(),
    );
  });

  it("starts PostgreSQL with a health check and its password from a secret file", () => {
    const postgres = service("postgres");
    expect(postgres.healthcheck?.test?.join(" ")).toMatch(/pg_isready/);
    expect(postgres.environment).not.toHaveProperty("POSTGRES_PASSWORD");
    expect(postgres.environment?.POSTGRES_PASSWORD_FILE).toBe(secretPath("postgres-password"));
    expect(postgres.volumes).toEqual([expect.stringMatching(/^postgres-data:/)]);
  });

  it("keeps every secret in a file: no password, key or database URL in any environment", () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const [key, value] of Object.entries(svc.environment ?? {})) {
        if (key.endsWith("_FILE")) {
          // Each file variable names a secret the service mounts, declared as a file.
          const secret = value.replace("/run/secrets/", "");
          expect(value, `${name} ${key}`).toBe(secretPath(secret));
          expect(svc.secrets, `${name} ${key}`).toContain(secret);
          expect(compose.secrets?.[secret]?.file, `${name} ${key}`).toMatch(/^\.\/secrets\//);
          continue;
        }
        expect(key, `${name} ${key}`).not.toMatch(/PASSWORD|SECRET|_KEY$|DB_URL$/);
        expect(String(value), `${name} ${key}`).not.toMatch(/:\/\/[^/@\s]*:[^/@\s]*@/);
      }
    }
  });

  it("keeps the secret files out of git and out of the image's build context", () => {
    const ignoredByDocker = readDockerignore();
    const gitignore = readFileSync(join(REPO_ROOT, ".gitignore"), "utf8").split("\n");
    for (const secret of Object.values(compose.secrets ?? {})) {
      const file = resolve(composeDir, secret.file ?? "");
      const relative = file.slice(REPO_ROOT.length);
      expect(ignoredByDocker(relative), relative).toBe(true);
      expect(gitignore, relative).toContain(`${dirname(relative)}/`);
    }
  });

  it("applies migrations once, in initdb, before the replicas start", () => {
    const initdb = service("initdb");
    expect(initdb.command).toEqual(["node", "bin/adminops.js", "initdb"]);
    expect(initdb.restart).toBe("no");
    expect(initdb.depends_on).toEqual({ postgres: { condition: "service_healthy" } });
    for (const name of REPLICAS) {
      expect(service(name).depends_on).toEqual({
        initdb: { condition: "service_completed_successfully" },
      });
      expect(service(name).environment?.TOKENLEADER_MIGRATE_ON_START).toBe("false");
    }
  });

  it("configures the replicas alike (image, environment, public URL, secrets), each with its own data volume", () => {
    const [a, b] = REPLICAS.map(service) as [ComposeService, ComposeService];
    expect(a.build).toEqual({ context: "..", dockerfile: "docker/Dockerfile" });
    expect(existsSync(resolve(composeDir, a.build?.context ?? "", a.build?.dockerfile ?? ""))).toBe(
      true,
    );
    expect(b.image).toBe(a.image);
    expect(b.environment).toEqual(a.environment);
    expect(a.environment?.TOKENLEADER_PUBLIC_URL).toBeDefined();
    expect(b.secrets).toEqual(a.secrets);
    const dataVolume = (svc: ComposeService) =>
      svc.volumes?.find((v) => v.endsWith(`:${imageEnv.TOKENLEADER_DATA_DIR}`))?.split(":")[0];
    expect(dataVolume(a)).toBeDefined();
    expect(dataVolume(b)).toBeDefined();
    expect(dataVolume(a)).not.toBe(dataVolume(b));
    for (const svc of [a, b]) {
      // Reached through the proxy only; the image's HEALTHCHECK (/healthz) stays in force.
      expect(svc.ports).toBeUndefined();
      expect(svc.healthcheck).toBeUndefined();
      // docker stop must wait longer than the server's shutdown_timeout (10 s) before killing.
      expect(Number.parseInt(svc.stop_grace_period ?? "10s", 10)).toBeGreaterThan(10);
      expect(compose.volumes).toHaveProperty(dataVolume(svc) as string);
    }
  });

  it("puts nginx in front of both replicas and trusts its forwarded addresses only", () => {
    const proxy = service("proxy");
    expect(proxy.ports).toHaveLength(1);
    expect(proxy.depends_on).toEqual(
      Object.fromEntries(REPLICAS.map((name) => [name, { condition: "service_healthy" }])),
    );
    const mount = proxy.volumes?.[0]?.split(":") ?? [];
    const nginxConf = readFileSync(resolve(composeDir, mount[0] ?? ""), "utf8");
    for (const name of REPLICAS) {
      expect(nginxConf).toContain(`server ${name}:${imageEnv.TOKENLEADER_PORT}`);
    }
    expect(nginxConf).toMatch(/proxy_set_header X-Forwarded-For \$remote_addr;/);
    const networks = proxy.networks as Record<string, { ipv4_address?: string }>;
    const address = networks.backend?.ipv4_address;
    expect(service("tokenleader-a").environment?.TOKENLEADER_TRUST_PROXY).toBe(address);
    // Fixed addresses in the compose network: nginx resolves the replicas' names only at start.
    const subnet = compose.networks?.backend?.ipam?.config?.[0]?.subnet ?? "";
    const addresses = ["proxy", ...REPLICAS].map(
      (name) =>
        (service(name).networks as Record<string, { ipv4_address?: string }>).backend?.ipv4_address,
    );
    expect(new Set(addresses).size).toBe(3);
    for (const fixed of addresses) {
      expect(fixed?.startsWith(subnet.replace(/\.0\/24$/, "."))).toBe(true);
    }
  });

  it("runs the image's command in the replicas", () => {
    const cmd = execForm(lastInstruction(runtime, "CMD"));
    for (const name of REPLICAS) expect(service(name).command ?? cmd).toEqual(cmd);
  });
});

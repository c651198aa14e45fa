import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// Reads docker/Dockerfile the way `docker build` does, as far as these tests need: instructions
// (continuation lines joined, comments dropped), build arguments in FROM, stages, and the exec
// form of CMD / HEALTHCHECK. No engine runs here, so the tests execute what the file says.

export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const DOCKERFILE = `${REPO_ROOT}docker/Dockerfile`;
export const DOCKERIGNORE = `${REPO_ROOT}.dockerignore`;
export const COMPOSE_FILE = `${REPO_ROOT}docker/compose.yaml`;

export interface Instruction {
  /** Upper case: FROM, RUN, ENV… */
  keyword: string;
  /** Everything after the keyword, continuation lines joined with one space. */
  args: string;
  /** 1-based line of the keyword (for failure messages). */
  line: number;
}

export interface Stage {
  /** The base image, build arguments substituted. */
  from: string;
  name: string | null;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** ARGs declared before the first FROM, with their defaults. */
  globalArgs: Record<string, string>;
  stages: Stage[];
}

export function readDockerfile(file: string = DOCKERFILE): Dockerfile {
  return parseDockerfile(readFileSync(file, "utf8"));
}

export function parseDockerfile(text: string): Dockerfile {
  const instructions = splitInstructions(text);
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === "FROM") {
      const [image = "", as, name] = instruction.args.split(/\s+/);
      stages.push({
        from: substituteArgs(image, globalArgs),
        name: as?.toUpperCase() === "AS" ? (name ?? null) : null,
        instructions: [],
      });
      continue;
    }
    const stage = stages.at(-1);
    if (stage) {
      stage.instructions.push(instruction);
    } else if (instruction.keyword === "ARG") {
      const [key = "", ...value] = instruction.args.split("=");
      globalArgs[key.trim()] = value.join("=").trim();
    }
  }
  return { globalArgs, stages };
}

function splitInstructions(text: string): Instruction[] {
  const instructions: Instruction[] = [];
  let current: { text: string; line: number } | null = null;
  const lines = text.split("\n");
  lines.forEach((raw, index) => {
    const trimmed = raw.trim();
    // Comment lines are dropped even inside a continued instruction, as Docker does.
    if (trimmed.startsWith("#")) return;
    if (current === null) {
      if (trimmed === "") return;
      current = { text: "", line: index + 1 };
    }
    const continued = trimmed.endsWith("\\");
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    current.text = current.text === "" ? part : `${current.text} ${part}`;
    if (!continued) {
      const match = /^(\S+)\s*(.*)$/s.exec(current.text);
      if (match) {
        instructions.push({
          keyword: (match[1] ?? "").toUpperCase(),
          args: match[2] ?? "",
          line: current.line,
        });
      }
      current = null;
    }
  });
  return instructions;
}

function substituteArgs(text: string, args: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced, bare) => {
    const value = args[braced ?? bare];
    return value ?? whole;
  });
}

/** The stage named `name`; throws naming the stages there are. */
export function stage(dockerfile: Dockerfile, name: string): Stage {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (!found) {
    throw new Error(
      `no stage "${name}" in the Dockerfile (stages: ${dockerfile.stages.map((s) => s.name).join(", ")})`,
    );
  }
  return found;
}

export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((i) => i.keyword === keyword);
}

/** The one instruction `keyword` of a stage (the last one, as Docker uses for CMD and the like). */
export function lastInstruction(stage: Stage, keyword: string): Instruction {
  const found = instructionsOf(stage, keyword).at(-1);
  if (!found) throw new Error(`the stage "${stage.name}" has no ${keyword}`);
  return found;
}

/** A JSON array (exec form), e.g. CMD ["node", "bin/x.js"]; throws on the shell form. */
export function execForm(instruction: Instruction): string[] {
  const parsed: unknown = JSON.parse(instruction.args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === "string")) {
    throw new Error(`line ${instruction.line}: ${instruction.keyword} is not in exec form`);
  }
  return parsed;
}

/** HEALTHCHECK [--option=value…] CMD [...]: the options and the command (exec form). */
export function healthcheck(instruction: Instruction): {
  options: Record<string, string>;
  command: string[];
} {
  const match = /^((?:--\S+\s+)*)CMD\s+(.*)$/s.exec(instruction.args);
  if (!match) throw new Error(`line ${instruction.line}: HEALTHCHECK without CMD`);
  const options: Record<string, string> = {};
  for (const option of (match[1] ?? "").trim().split(/\s+/).filter(Boolean)) {
    const [key = "", value = ""] = option.replace(/^--/, "").split("=");
    options[key] = value;
  }
  return {
    options,
    command: execForm({ ...instruction, keyword: "HEALTHCHECK", args: match[2] ?? "" }),
  };
}

/** ENV KEY=VALUE [KEY=VALUE…] (the key=value form; values without spaces or quotes). */
export function environment(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const instruction of instructionsOf(stage, "ENV")) {
    for (const pair of instruction.args.split(/\s+/).filter(Boolean)) {
      const at = pair.indexOf("=");
      if (at <= 0) throw new Error(`line ${instruction.line}: ENV ${pair} is not KEY=VALUE`);
      env[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  return env;
}

import { readFileSync } from "node:fs";
import { DOCKERIGNORE } from "./dockerfile.js";

// Whether `docker build` leaves a path of the repository out of the build context, by the rules of
// .dockerignore: one pattern per line (`#` comments), `*` and `?` within one path segment, `**`
// across segments, a pattern that matches a folder leaves out everything in it, `!` takes a path
// back in, and the last matching line wins.

interface Rule {
  pattern: RegExp;
  exclude: boolean;
}

export function readDockerignore(file: string = DOCKERIGNORE): (path: string) => boolean {
  const rules = parseRules(readFileSync(file, "utf8"));
  return (filePath) => isExcluded(rules, filePath);
}

function parseRules(text: string): Rule[] {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const exclude = !line.startsWith("!");
      const glob = (exclude ? line : line.slice(1)).replace(/^\/+/, "").replace(/\/+$/, "");
      return { pattern: globToRegExp(glob), exclude };
    });
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (glob.startsWith("**/", i)) {
      source += "(?:.*/)?";
      i += 2;
    } else if (glob.startsWith("**", i)) {
      source += ".*";
      i += 1;
    } else if (char === "*") {
      source += "[^/]*";
    } else if (char === "?") {
      source += "[^/]";
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
    }
  }
  return new RegExp(`^${source}$`);
}

function isExcluded(rules: Rule[], filePath: string): boolean {
  const segments = filePath.split("/");
  // The path itself and every folder above it: a pattern naming a folder covers its content.
  const candidates = segments.map((_, i) => segments.slice(0, i + 1).join("/"));
  let excluded = false;
  for (const rule of rules) {
    if (candidates.some((candidate) => rule.pattern.test(candidate))) excluded = rule.exclude;
  }
  return excluded;
}

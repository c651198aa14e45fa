// Keys the server does not know. In a section the server owns, an unknown key is an error: a
// typo such as `host_prot` would otherwise silently leave the default in force (the server on
// another port). Keys the original tokenleader's file may carry (its Flask keys, upper-case) are
// accepted. An unknown section is only a warning: the file may be shared with other tools.

import type { IniDocument } from "@tokenleader/client/settings";
import { knownKeysBySection, SECTIONS_WITH_FLASK_KEYS } from "./setting-definitions.js";

export interface UnknownKeyFindings {
  /** Unknown keys in the server's sections: one line each, with a "did you mean". */
  problems: string[];
  /** Unknown sections. */
  warnings: string[];
}

export function findUnknownKeys(document: IniDocument, configFile: string): UnknownKeyFindings {
  const problems: string[] = [];
  const warnings: string[] = [];
  const known = knownKeysBySection();
  for (const [section, entries] of document) {
    const keys = known.get(section);
    if (!keys) {
      const hint = closest(section, [...known.keys()]);
      warnings.push(
        `${configFile}: unknown section [${section}] is ignored${hint ? `; did you mean [${hint}]?` : ""}`,
      );
      continue;
    }
    for (const [key, entry] of entries) {
      if (keys.includes(key)) continue;
      if (SECTIONS_WITH_FLASK_KEYS.includes(section) && /^[A-Z][A-Z0-9_]*$/.test(key)) continue;
      const hint = closest(key, keys);
      problems.push(
        `${configFile}:${entry.line} [${section}] ${key}: unknown key; ${hint ? `did you mean "${hint}"?` : `the keys of [${section}] are ${keys.join(", ")}`} (see the sample etc/tokenleader_settings.ini)`,
      );
    }
  }
  return { problems, warnings };
}

function closest(word: string, candidates: string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= 3 && (!best || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(
        above + 1,
        previous[j - 1]! + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

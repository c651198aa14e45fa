// The one INI reader of tokenleader (server: `tokenleader_settings.ini`; client: the encrypted
// password file `tokenleader-auth` writes). It reads the original's dialect (Python `konfig`, a
// ConfigParser subclass): `[section]` headers, `key = value` or `key: value`, lines indented with
// tabs or spaces (the shipped samples indent everything), full-line `#`/`;` comments, values
// continued on more-indented lines, case-preserved keys, ExtendedInterpolation
// (`${key}`, `${section:key}`, `${HERE}`, environment variables, `$$` for a literal `$`) and
// konfig's value coercion (ints, floats, booleans, double-quoted strings).

export type IniValue = string | number | boolean;

export interface IniEntry {
  /** The value after interpolation and coercion. */
  value: IniValue;
  /** The text as written in the file (continuation lines joined with "\n"). */
  raw: string;
  /** 1-based line number of the key. */
  line: number;
}

/** Section name → key (case preserved) → entry. Insertion order is file order. */
export type IniDocument = Map<string, Map<string, IniEntry>>;

export interface ParseIniOptions {
  /** Used in problem lines only. */
  fileName: string;
  /** Directory the file lives in: the value of `${HERE}`. */
  here?: string;
  /** Environment consulted by `${NAME}` when no key of that name exists. */
  env?: Record<string, string | undefined>;
}

export interface ParseIniResult {
  document: IniDocument;
  /** One line per problem, each naming the file and line. Empty when the file is fine. */
  problems: string[];
}

const SECTION_HEADER = /^\[([^\]]+)\]$/;
const KEY_VALUE = /^([^=:]+?)\s*[=:]\s*(.*)$/;
const MAX_INTERPOLATION_DEPTH = 10;

interface RawEntry {
  raw: string;
  line: number;
  indent: number;
}

export function parseIni(text: string, options: ParseIniOptions): ParseIniResult {
  const problems: string[] = [];
  const rawSections = new Map<string, Map<string, RawEntry>>();
  const where = (line: number) => `${options.fileName}:${line}`;

  let section: Map<string, RawEntry> | undefined;
  let lastEntry: RawEntry | undefined;

  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((fullLine, index) => {
    const lineNumber = index + 1;
    const trimmed = fullLine.trim();
    const indent = fullLine.length - fullLine.trimStart().length;

    if (trimmed === "") {
      lastEntry = undefined; // a blank line ends a multi-line value
      return;
    }
    if (trimmed.startsWith("#") || trimmed.startsWith(";")) return;

    // ConfigParser: a line indented deeper than the key line continues that key's value.
    if (lastEntry && indent > lastEntry.indent) {
      lastEntry.raw = lastEntry.raw === "" ? trimmed : `${lastEntry.raw}\n${trimmed}`;
      return;
    }

    const header = SECTION_HEADER.exec(trimmed);
    if (header) {
      const name = header[1]!.trim();
      lastEntry = undefined;
      if (rawSections.has(name)) {
        problems.push(
          `${where(lineNumber)}: section [${name}] appears twice; merge the two into one section`,
        );
        section = rawSections.get(name);
        return;
      }
      section = new Map();
      rawSections.set(name, section);
      return;
    }

    const keyValue = KEY_VALUE.exec(trimmed);
    if (!keyValue) {
      problems.push(
        `${where(lineNumber)}: cannot read line "${truncate(trimmed)}"; write "key = value", "[section]" or a "#" comment`,
      );
      lastEntry = undefined;
      return;
    }
    if (!section) {
      problems.push(
        `${where(lineNumber)}: key "${keyValue[1]}" appears before any [section] header; put it under a section such as [flask_default]`,
      );
      lastEntry = undefined;
      return;
    }
    const key = keyValue[1]!;
    if (section.has(key)) {
      problems.push(
        `${where(lineNumber)}: key "${key}" is set twice in the same section; keep only one`,
      );
    }
    lastEntry = { raw: keyValue[2]!, line: lineNumber, indent };
    section.set(key, lastEntry);
  });

  const document: IniDocument = new Map();
  for (const [sectionName, entries] of rawSections) {
    const resolved = new Map<string, IniEntry>();
    for (const [key, entry] of entries) {
      const interpolated = interpolate(entry.raw, sectionName, rawSections, options, 0);
      if (typeof interpolated !== "string") {
        problems.push(`${where(entry.line)}: [${sectionName}] ${key}: ${interpolated.problem}`);
        resolved.set(key, { value: entry.raw, raw: entry.raw, line: entry.line });
        continue;
      }
      resolved.set(key, { value: coerceIniValue(interpolated), raw: entry.raw, line: entry.line });
    }
    document.set(sectionName, resolved);
  }
  return { document, problems };
}

/** konfig's coercion: `-12` → int, `1.5` → float, `"x"` → x, `true`/`FALSE` → boolean. */
export function coerceIniValue(text: string): IniValue {
  if (/^-?[0-9]+$/.test(text)) {
    const asNumber = Number(text);
    return Number.isSafeInteger(asNumber) ? asNumber : text;
  }
  if (/^-?[0-9]*\.[0-9]+$/.test(text)) return Number(text);
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return text.slice(1, -1);
  return text;
}

function interpolate(
  raw: string,
  sectionName: string,
  sections: Map<string, Map<string, RawEntry>>,
  options: ParseIniOptions,
  depth: number,
): string | { problem: string } {
  if (depth > MAX_INTERPOLATION_DEPTH) {
    return { problem: "interpolation nests too deeply (a reference loop?); remove the loop" };
  }
  let result = "";
  let index = 0;
  while (index < raw.length) {
    const dollar = raw.indexOf("$", index);
    if (dollar === -1) {
      result += raw.slice(index);
      break;
    }
    result += raw.slice(index, dollar);
    const next = raw[dollar + 1];
    if (next === "$") {
      result += "$";
      index = dollar + 2;
      continue;
    }
    if (next !== "{") {
      return { problem: `a "$" must be followed by "{" or "$"; write "$$" for a literal dollar` };
    }
    const close = raw.indexOf("}", dollar + 2);
    if (close === -1) return { problem: `unterminated "\${"; close it with "}"` };
    const reference = raw.slice(dollar + 2, close);
    const replacement = resolveReference(reference, sectionName, sections, options, depth);
    if (typeof replacement !== "string") return replacement;
    result += replacement;
    index = close + 1;
  }
  return result;
}

function resolveReference(
  reference: string,
  sectionName: string,
  sections: Map<string, Map<string, RawEntry>>,
  options: ParseIniOptions,
  depth: number,
): string | { problem: string } {
  const colon = reference.indexOf(":");
  if (colon !== -1) {
    const targetSection = reference.slice(0, colon);
    const targetKey = reference.slice(colon + 1);
    const entry = sections.get(targetSection)?.get(targetKey);
    if (!entry) {
      return {
        problem: `"\${${reference}}" refers to a key that does not exist; define [${targetSection}] ${targetKey}`,
      };
    }
    return interpolate(entry.raw, targetSection, sections, options, depth + 1);
  }
  const sameSection = sections.get(sectionName)?.get(reference);
  if (sameSection) return interpolate(sameSection.raw, sectionName, sections, options, depth + 1);
  if (reference === "HERE" && options.here !== undefined) return options.here;
  const fromEnv = options.env?.[reference];
  if (fromEnv !== undefined) return fromEnv;
  return {
    problem: `"\${${reference}}" is neither a key of [${sectionName}] nor an environment variable; define it or write "$$" for a literal dollar`,
  };
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

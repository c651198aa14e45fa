import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from "yaml";
import { z } from "zod";
import { EnforcerError } from "../errors.js";
import {
  type AclEntry,
  type AclMap,
  type AllowItem,
  type AllowLineOf,
  compileAclMap,
} from "./acl-map.js";
import { WFC_CONDITION_FIELDS, type WfcRequirement } from "./wfc-conditions.js";

/** Larger than any sane ACL file; keeps a hostile or mistaken file from exhausting memory. */
export const MAX_ACL_MAP_BYTES = 1024 * 1024;

const ruleName = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" })
  .refine((r) => !r.slice(0, -1).includes("*"), {
    error: "'*' is only allowed as the last character (a prefix wildcard such as 'tokenleader.*')",
  });

const aclEntrySchema = z.object({
  name: z
    .string({ error: "name must be a role name (a string)" })
    .min(1, { error: "name must not be empty" }),
  allow: z.array(z.unknown(), {
    error: (issue) =>
      issue.input === undefined || issue.input === null
        ? "has no allow list (write 'allow: []' to grant nothing)"
        : "allow must be a list of rule names",
  }),
});

const conditionValue = z
  .string({ error: "must be a string" })
  .min(1, { error: "must not be empty" });
const REQUIREMENT_FORMS = "must be a value, a list of values or {param: <route parameter name>}";

/**
 * One allow item: a rule name (the original's form) or `{rule, org?, orgunit?, department?}`, each
 * condition one value, a list of values, or `{param: <name>}` (the value of that route parameter).
 * Returns the item, or the problem (the caller adds where it is).
 */
function readAllowItem(raw: unknown): AllowItem | { problem: string } {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    const rule = ruleName.safeParse(raw);
    return rule.success ? rule.data : { problem: rule.error.issues[0]!.message };
  }
  const item = raw as Record<string, unknown>;
  const unknownKey = Object.keys(item).find(
    (key) => key !== "rule" && !(WFC_CONDITION_FIELDS as readonly string[]).includes(key),
  );
  if (unknownKey !== undefined) {
    return {
      problem: `unknown key '${unknownKey}' (a rule with conditions takes rule, ${WFC_CONDITION_FIELDS.join(", ")})`,
    };
  }
  const rule = ruleName.safeParse(item["rule"]);
  if (!rule.success) {
    return {
      problem:
        item["rule"] === undefined
          ? "has conditions but no 'rule'"
          : `rule ${rule.error.issues[0]!.message}`,
    };
  }
  const conditions: Record<string, WfcRequirement> = {};
  for (const field of WFC_CONDITION_FIELDS) {
    if (!(field in item)) continue;
    const requirement = readRequirement(item[field]);
    if (typeof requirement === "object" && "problem" in requirement) {
      return { problem: `${field} ${requirement.problem}` };
    }
    conditions[field] = requirement;
  }
  if (Object.keys(conditions).length === 0) {
    return {
      problem: `has no condition (give ${WFC_CONDITION_FIELDS.join(", ")} or write the rule name alone)`,
    };
  }
  return { rule: rule.data, ...conditions };
}

function readRequirement(raw: unknown): WfcRequirement | { problem: string } {
  if (typeof raw === "string") {
    return raw === "" ? { problem: "must not be empty" } : raw;
  }
  if (Array.isArray(raw)) {
    if (raw.length === 0) return { problem: "must not be an empty list (it would admit no one)" };
    const values = z.array(conditionValue).safeParse(raw);
    return values.success
      ? values.data
      : {
          problem: `[${String(values.error.issues[0]!.path[0])}] ${values.error.issues[0]!.message}`,
        };
  }
  if (typeof raw === "number" || typeof raw === "boolean") {
    // YAML reads `org: 42` as a number; token wfc values are strings.
    return { problem: `must be a string (quote it: '${String(raw)}')` };
  }
  if (raw !== null && typeof raw === "object") {
    const keys = Object.keys(raw);
    const param = (raw as Record<string, unknown>)["param"];
    if (keys.length === 1 && typeof param === "string" && param !== "") return { param };
  }
  return { problem: REQUIREMENT_FORMS };
}

/**
 * Parses the text of a role_to_acl_map.yml. `source` names the file in error messages.
 * Throws `EnforcerError("ACL_MAP_INVALID")` naming the entry (number, role and line) at fault.
 */
export function parseAclMap(text: string, source = "role_to_acl_map.yml"): AclMap {
  const { entries, lineOf } = parseAclFile(text, source);
  return compileAclMap(entries, lineOf);
}

export function parseAclEntries(text: string, source = "role_to_acl_map.yml"): AclEntry[] {
  return parseAclFile(text, source).entries;
}

function parseAclFile(text: string, source: string): { entries: AclEntry[]; lineOf: AllowLineOf } {
  const invalid = (detail: string) => new EnforcerError("ACL_MAP_INVALID", `${source}: ${detail}`);

  if (Buffer.byteLength(text, "utf8") > MAX_ACL_MAP_BYTES) {
    throw invalid(`file is larger than ${MAX_ACL_MAP_BYTES} bytes`);
  }
  const lineCounter = new LineCounter();
  // PyYAML accepted duplicate keys (last one wins); files written for the original rely on that.
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter, prettyErrors: false });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const line = lineCounter.linePos(syntaxError.pos[0]).line;
    throw invalid(
      `not valid YAML${line ? ` (line ${line})` : ""}: ${firstLine(syntaxError.message)}`,
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw invalid(`cannot be read: ${(err as Error).message}`);
  }
  const items = isSeq(doc.contents) ? doc.contents.items : [];
  const lineOfNode = (node: unknown) => {
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  const lineOf = (index: number, allowIndex?: number) => {
    const entry = items[index];
    if (allowIndex === undefined) return lineOfNode(entry);
    const allow = allowNode(entry);
    return lineOfNode(isSeq(allow) ? allow.items[allowIndex] : undefined) ?? lineOfNode(entry);
  };
  return { entries: validateAclEntries(data, source, lineOf), lineOf };
}

/** The entry's `allow` value node; the last one when the key repeats (last wins, as in toJS). */
function allowNode(entry: unknown): Node | undefined {
  if (!isMap(entry)) return undefined;
  const pair = entry.items.findLast((p) => isScalar(p.key) && p.key.value === "allow");
  return pair?.value as Node | undefined;
}

/**
 * Validates already-parsed ACL data (from YAML, or the `roleToAclMap` option). `lineOf` maps an
 * entry's index to its line in the file, for error messages.
 */
export function validateAclEntries(
  data: unknown,
  source: string,
  lineOf: (index: number, allowIndex?: number) => number | undefined = () => undefined,
): AclEntry[] {
  const invalid = (detail: string) => new EnforcerError("ACL_MAP_INVALID", `${source}: ${detail}`);
  if (data === null || data === undefined) {
    throw invalid(
      "is empty; it must be a YAML list of {name: <role>, allow: [<rule>, ...]} entries",
    );
  }
  if (!Array.isArray(data)) {
    throw invalid(
      "the top level must be a YAML list of {name: <role>, allow: [<rule>, ...]} entries",
    );
  }
  return data.map((raw: unknown, index) => {
    const line = lineOf(index);
    const where = `entry ${index + 1}${describeName(raw)}${line ? ` at line ${line}` : ""}`;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      throw invalid(`${where}: must be a mapping with 'name' and 'allow'`);
    }
    const parsed = aclEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw invalid(`${where}: ${issue.message}`);
    }
    const allow = parsed.data.allow.map((rawItem, allowIndex) => {
      const item = readAllowItem(rawItem);
      if (typeof item === "string" || !("problem" in item)) return item;
      const itemLine = lineOf(index, allowIndex);
      const at = itemLine !== undefined && itemLine !== line ? ` (line ${itemLine})` : "";
      throw invalid(`${where}: allow[${allowIndex}]${at} ${item.problem}`);
    });
    return { name: parsed.data.name, allow };
  });
}

function describeName(raw: unknown): string {
  if (raw && typeof raw === "object" && "name" in raw) {
    const name = (raw as { name: unknown }).name;
    if (typeof name === "string" || typeof name === "number") return ` (role '${name}')`;
  }
  return "";
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

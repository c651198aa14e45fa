import { isSeq, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { EnforcerError } from "../errors.js";
import { type AclEntry, type AclMap, compileAclMap } from "./acl-map.js";

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
  allow: z.array(ruleName, {
    error: (issue) =>
      issue.input === undefined || issue.input === null
        ? "has no allow list (write 'allow: []' to grant nothing)"
        : "allow must be a list of rule names",
  }),
});

/**
 * Parses the text of a role_to_acl_map.yml. `source` names the file in error messages.
 * Throws `EnforcerError("ACL_MAP_INVALID")` naming the entry (number, role and line) at fault.
 */
export function parseAclMap(text: string, source = "role_to_acl_map.yml"): AclMap {
  return compileAclMap(parseAclEntries(text, source));
}

export function parseAclEntries(text: string, source = "role_to_acl_map.yml"): AclEntry[] {
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
  return validateAclEntries(data, source, (index) => {
    const range = (items[index] as { range?: [number, number, number] } | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  });
}

/**
 * Validates already-parsed ACL data (from YAML, or the `roleToAclMap` option). `lineOf` maps an
 * entry's index to its line in the file, for error messages.
 */
export function validateAclEntries(
  data: unknown,
  source: string,
  lineOf: (index: number) => number | undefined = () => undefined,
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
      const path = issue.path.length > 1 ? `allow[${String(issue.path[1])}] ` : "";
      throw invalid(`${where}: ${path}${issue.message}`);
    }
    return parsed.data;
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

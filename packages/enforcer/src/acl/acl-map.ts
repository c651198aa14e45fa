import { NO_CONDITIONS, type WfcConditions } from "./wfc-conditions.js";

/**
 * One item of an entry's `allow` list: a rule name (the original's form), or a rule with wfc
 * conditions `{rule, org?, orgunit?, department?}`.
 */
export type AllowItem = string | ({ readonly rule: string } & WfcConditions);

/** One `{name, allow}` entry of role_to_acl_map.yml, as written in the file. */
export interface AclEntry {
  readonly name: string;
  readonly allow: readonly AllowItem[];
}

/** One allow item of one entry, compiled: what explain reports as "the entry that granted". */
export interface AclGrant {
  readonly role: string;
  /** The rule pattern (exact name or `prefix*`). */
  readonly pattern: string;
  /** 1-based position of the entry in the file (several entries may name the same role). */
  readonly entry: number;
  /** 0-based position of the item in the entry's allow list. */
  readonly allowIndex: number;
  /** Line of the allow item in the file, when the map came from a file. */
  readonly line?: number;
  /** Empty for a plain rule name. */
  readonly conditions: WfcConditions;
}

/** The grants of one role, compiled for O(1) exact lookups plus a short prefix scan. */
interface RoleRules {
  readonly exact: Map<string, AclGrant[]>;
  /** Grants of the `prefix*` wildcard rules, with the text before the trailing `*`. */
  readonly prefixes: { prefix: string; grant: AclGrant }[];
}

/**
 * A parsed, validated role → rules map. Immutable: a reload builds a new one and swaps it in, so a
 * request never sees a half-updated map.
 */
export interface AclMap {
  readonly entries: readonly AclEntry[];
  /** The rule patterns (exact names or `prefix*`) that grant `rule` to `role`, first match. */
  matchingPattern(role: string, rule: string): string | null;
  /** Every allow item of `role` whose pattern matches `rule` (exact ones first), conditions unchecked. */
  grantsFor(role: string, rule: string): readonly AclGrant[];
  /** The roles with at least one allow item matching `rule` (for explaining a refusal). */
  rolesMatching(rule: string): string[];
  /** Every role the map mentions (several entries for the same role are merged). */
  readonly roles: readonly string[];
}

/** Where an allow item sits in its file: `lineOf(entryIndex, allowIndex)`. */
export type AllowLineOf = (entryIndex: number, allowIndex: number) => number | undefined;

const NO_GRANTS: readonly AclGrant[] = Object.freeze([]);

export function compileAclMap(
  entries: readonly AclEntry[],
  lineOf: AllowLineOf = () => undefined,
): AclMap {
  const byRole = new Map<string, RoleRules>();
  entries.forEach((entry, entryIndex) => {
    // The original considered every entry whose name matched, so entries of one role are merged.
    let rules = byRole.get(entry.name);
    if (!rules) {
      rules = { exact: new Map(), prefixes: [] };
      byRole.set(entry.name, rules);
    }
    entry.allow.forEach((item, allowIndex) => {
      const { rule: pattern, ...conditions } = typeof item === "string" ? { rule: item } : item;
      const line = lineOf(entryIndex, allowIndex);
      const grant: AclGrant = Object.freeze({
        role: entry.name,
        pattern,
        entry: entryIndex + 1,
        allowIndex,
        ...(line === undefined ? {} : { line }),
        conditions:
          Object.keys(conditions).length === 0 ? NO_CONDITIONS : Object.freeze(conditions),
      });
      if (pattern.endsWith("*")) rules.prefixes.push({ prefix: pattern.slice(0, -1), grant });
      else rules.exact.set(pattern, [...(rules.exact.get(pattern) ?? []), grant]);
    });
  });
  const frozenEntries = Object.freeze(
    entries.map((e) => Object.freeze({ name: e.name, allow: Object.freeze([...e.allow]) })),
  );

  const grantsFor = (role: string, rule: string): readonly AclGrant[] => {
    const rules = byRole.get(role);
    if (!rules) return NO_GRANTS;
    const exact = rules.exact.get(rule) ?? NO_GRANTS;
    let matched: AclGrant[] | undefined;
    for (const { prefix, grant } of rules.prefixes) {
      if (!rule.startsWith(prefix)) continue;
      // Copied only when a wildcard matches: the common exact hit allocates nothing.
      matched ??= [...exact];
      matched.push(grant);
    }
    return matched ?? exact;
  };

  return Object.freeze({
    entries: frozenEntries,
    roles: Object.freeze([...byRole.keys()]),
    grantsFor,
    matchingPattern(role: string, rule: string): string | null {
      return grantsFor(role, rule)[0]?.pattern ?? null;
    },
    rolesMatching(rule: string): string[] {
      return [...byRole.keys()].filter((role) => grantsFor(role, rule).length > 0);
    },
  });
}

/** One `{name, allow}` entry of role_to_acl_map.yml, as written in the file. */
export interface AclEntry {
  readonly name: string;
  readonly allow: readonly string[];
}

/** The rules granted to one role, compiled for O(1) exact lookups plus a short prefix scan. */
interface RoleRules {
  readonly exact: ReadonlySet<string>;
  /** Prefixes of the `prefix*` wildcard rules (the text before the trailing `*`). */
  readonly prefixes: readonly string[];
}

/**
 * A parsed, validated role → rules map. Immutable: a reload builds a new one and swaps it in, so a
 * request never sees a half-updated map.
 */
export interface AclMap {
  readonly entries: readonly AclEntry[];
  /** The rule patterns (exact names or `prefix*`) that grant `rule` to `role`, first match. */
  matchingPattern(role: string, rule: string): string | null;
  /** Every role the map mentions (several entries for the same role are merged). */
  readonly roles: readonly string[];
}

export function compileAclMap(entries: readonly AclEntry[]): AclMap {
  const byRole = new Map<string, { exact: Set<string>; prefixes: string[] }>();
  for (const entry of entries) {
    // The original considered every entry whose name matched, so entries of one role are merged.
    let rules = byRole.get(entry.name);
    if (!rules) {
      rules = { exact: new Set(), prefixes: [] };
      byRole.set(entry.name, rules);
    }
    for (const pattern of entry.allow) {
      if (pattern.endsWith("*")) rules.prefixes.push(pattern.slice(0, -1));
      else rules.exact.add(pattern);
    }
  }
  const frozen = new Map<string, RoleRules>(byRole);
  const frozenEntries = Object.freeze(
    entries.map((e) => Object.freeze({ name: e.name, allow: Object.freeze([...e.allow]) })),
  );
  return Object.freeze({
    entries: frozenEntries,
    roles: Object.freeze([...frozen.keys()]),
    matchingPattern(role: string, rule: string): string | null {
      const rules = frozen.get(role);
      if (!rules) return null;
      if (rules.exact.has(rule)) return rule;
      for (const prefix of rules.prefixes) {
        if (rule.startsWith(prefix)) return `${prefix}*`;
      }
      return null;
    },
  });
}

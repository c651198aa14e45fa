import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EnforcerError } from "../errors.js";
import { loadAclMap } from "./load-acl-map.js";
import { parseAclMap, validateAclEntries } from "./parse-acl-map.js";

const errorOf = (fn: () => unknown): EnforcerError => {
  try {
    fn();
  } catch (err) {
    return err as EnforcerError;
  }
  throw new Error("expected an error");
};

describe("parseAclMap", () => {
  it("reads the original format and merges entries of the same role", () => {
    const map = parseAclMap(
      "- name: role1\n  allow:\n  - a.b.c\n- name: role2\n  allow: [x]\n- name: role1\n  allow:\n  - d\n",
    );
    expect(map.matchingPattern("role1", "a.b.c")).toBe("a.b.c");
    expect(map.matchingPattern("role1", "d")).toBe("d");
    expect(map.matchingPattern("role2", "a.b.c")).toBeNull();
    expect(map.matchingPattern("role1", "A.B.C")).toBeNull();
    expect(map.roles).toEqual(["role1", "role2"]);
  });

  it("tolerates duplicate keys, the last one winning (as PyYAML did)", () => {
    const map = parseAclMap("- name: old\n  name: role1\n  allow: [x]\n  allow: [y]\n");
    expect(map.matchingPattern("role1", "y")).toBe("y");
    expect(map.matchingPattern("role1", "x")).toBeNull();
    expect(map.matchingPattern("old", "y")).toBeNull();
  });

  it("reads wfc conditions beside plain rule names, with the line of each allow item", () => {
    const map = parseAclMap(
      [
        "- name: role1",
        "  allow:",
        "    - plain.rule",
        "    - rule: orgs:read",
        "      org: {param: org}",
        "    - rule: 'reports.*'",
        "      org: [org1, org2]",
        "      department: sales",
      ].join("\n"),
    );
    expect(map.matchingPattern("role1", "plain.rule")).toBe("plain.rule");
    expect(map.grantsFor("role1", "plain.rule")[0]).toMatchObject({ conditions: {}, line: 3 });
    expect(map.grantsFor("role1", "orgs:read")[0]).toMatchObject({
      role: "role1",
      entry: 1,
      allowIndex: 1,
      line: 4,
      conditions: { org: { param: "org" } },
    });
    expect(map.grantsFor("role1", "reports.q1")[0]).toMatchObject({
      pattern: "reports.*",
      line: 6,
      conditions: { org: ["org1", "org2"], department: "sales" },
    });
    expect(map.rolesMatching("orgs:read")).toEqual(["role1"]);
    expect(map.rolesMatching("nothing")).toEqual([]);
  });

  it("treats a trailing * as a prefix wildcard", () => {
    const map = parseAclMap(
      "- name: admin\n  allow: ['tokenleader.*']\n- name: all\n  allow: ['*']\n",
    );
    expect(map.matchingPattern("admin", "tokenleader.adminops.list_users")).toBe("tokenleader.*");
    expect(map.matchingPattern("admin", "tokenleaderx")).toBeNull();
    expect(map.matchingPattern("all", "anything")).toBe("*");
  });

  it.each([
    ["", "is empty"],
    ["# only a comment\n", "is empty"],
    ["name: role1\nallow: [x]\n", "top level must be a YAML list"],
    ["- name: role1\n", "entry 1 (role 'role1') at line 1: has no allow list"],
    [
      "- name: r\n  allow: [x]\n- name: role2\n  allow:\n",
      "entry 2 (role 'role2') at line 3: has no allow list",
    ],
    ["- name: role1\n  allow: x\n", "allow must be a list of rule names"],
    [
      "- name: role1\n  allow: [ok, 5]\n",
      "entry 1 (role 'role1') at line 1: allow[1] (line 2) must be a string",
    ],
    [
      "- name: r\n  allow:\n  - a\n  - rule: b\n    org: {param: 3}\n",
      "entry 1 (role 'r') at line 1: allow[1] (line 4) org must be a value, a list of values or {param: <route parameter name>}",
    ],
    [
      "- name: r\n  allow: [a]\n- name: s\n  allow:\n  - rule: b\n    orgs: x\n",
      "entry 2 (role 's') at line 3: allow[0] (line 5) unknown key 'orgs' (a rule with conditions takes rule, org, orgunit, department)",
    ],
    [
      "- name: r\n  allow:\n  - org: x\n",
      "entry 1 (role 'r') at line 1: allow[0] (line 3) has conditions but no 'rule'",
    ],
    [
      "- name: r\n  allow:\n  - rule: b\n",
      "allow[0] (line 3) has no condition (give org, orgunit, department or write the rule name alone)",
    ],
    [
      "- name: r\n  allow:\n  - rule: b\n    department: []\n",
      "department must not be an empty list",
    ],
    ["- name: r\n  allow:\n  - rule: b\n    org: 42\n", "org must be a string (quote it: '42')"],
    ["- name: r\n  allow:\n  - rule: b\n    orgunit: [u1, 7]\n", "orgunit [1] must be a string"],
    [
      "- name: r\n  allow:\n  - rule: 'b*c'\n    org: o\n",
      "allow[0] (line 3) rule '*' is only allowed",
    ],
    ["- name: role1\n  allow: ['a*b']\n", "'*' is only allowed as the last character"],
    ["- allow: [x]\n", "entry 1 at line 1: name must be a role name"],
    ["- just a string\n", "entry 1 at line 1: must be a mapping"],
    ["- name: [unclosed\n", "not valid YAML (line"],
  ])("rejects %j naming the problem", (text, expected) => {
    const err = errorOf(() => parseAclMap(text, "acl.yml"));
    expect(err).toBeInstanceOf(EnforcerError);
    expect(err.code).toBe("ACL_MAP_INVALID");
    expect(err.message).toContain("acl.yml: ");
    expect(err.message).toContain(expected);
  });

  it("validates an in-memory map the same way", () => {
    expect(errorOf(() => validateAclEntries([{ name: "r" }], "opt")).message).toBe(
      "opt: entry 1 (role 'r'): has no allow list (write 'allow: []' to grant nothing)",
    );
  });
});

describe("loadAclMap", () => {
  it("loads a file and reports a missing one by path", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tl-acl-"));
    try {
      const file = join(dir, "role_to_acl_map.yml");
      writeFileSync(file, "- name: role1\n  allow: [r]\n");
      expect((await loadAclMap(file)).matchingPattern("role1", "r")).toBe("r");
      await expect(loadAclMap(join(dir, "missing.yml"))).rejects.toMatchObject({
        code: "ACL_MAP_UNREADABLE",
        message: expect.stringContaining("missing.yml: cannot read the ACL map: file not found"),
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

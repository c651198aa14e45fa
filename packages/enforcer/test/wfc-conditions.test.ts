// ACL entries that require the token's org / orgunit / department, in real Express and Fastify
// apps: a fixed value, a list, and the value of a route parameter (`/orgs/:org/...`).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADAPTERS, call, type RunningApp, startApp } from "./support/apps.js";
import { generateSigningKey, mintToken, subject, TEST_ISSUER, WFC1 } from "./support/tokens.js";

const key = generateSigningKey();
const dir = mkdtempSync(join(tmpdir(), "tl-wfc-acl-"));
const aclFile = join(dir, "role_to_acl_map.yml");
writeFileSync(
  aclFile,
  [
    "- name: role1",
    "  allow:",
    "    - plain.rule",
    "    - rule: org1.reports",
    "      org: org1",
    "    - rule: sales.reports",
    "      org: [org1, org2]",
    "      department: sales",
    "    - rule: orgs:read",
    "      org: {param: org}",
    "",
  ].join("\n"),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const tokenFor = (wfc: Record<string, unknown> | null) =>
  mintToken(key, { sub: subject("user1", ["role1"], wfc) });

describe.each(ADAPTERS)("wfc conditions in a real %s app", (adapter) => {
  let app: RunningApp;
  const debugLines: Array<{ details: Record<string, unknown>; message: string }> = [];

  beforeAll(async () => {
    const logger = {
      error() {},
      warn() {},
      info() {},
      debug: (details: object, message: string) =>
        debugLines.push({ details: details as Record<string, unknown>, message }),
    };
    app = await startApp(
      adapter,
      { roleToAclMapFile: aclFile, publicKey: key.publicPem, issuer: TEST_ISSUER, logger },
      [
        { method: "GET", path: "/plain", rule: "plain.rule" },
        { method: "GET", path: "/org1/reports", rule: "org1.reports" },
        { method: "GET", path: "/sales/reports", rule: "sales.reports" },
        { method: "GET", path: "/orgs/:org/users", rule: "orgs:read" },
        // The same rule on a route without the parameter: the condition can never hold.
        { method: "GET", path: "/all-orgs", rule: "orgs:read" },
      ],
    );
  });
  afterAll(() => app?.close());

  const get = async (path: string, wfc: Record<string, unknown> | null) =>
    call(`${app.url}${path}`, { headers: { "X-Auth-Token": await tokenFor(wfc) } });

  it("keeps plain rule names unconditional", async () => {
    expect((await get("/plain", { ...WFC1, org: "org9" })).status).toBe(200);
    expect((await get("/plain", null)).status).toBe(200);
  });

  it("admits a token of the required org and refuses one of another", async () => {
    const admitted = await get("/org1/reports", WFC1);
    expect(admitted.status).toBe(200);
    expect(admitted.json().wfc.org).toBe("org1");

    const refused = await get("/org1/reports", { ...WFC1, org: "org2" });
    expect(refused.status).toBe(403);
    expect(refused.json().code).toBe("RULE_NOT_GRANTED");
    expect(refused.json().reason).toContain("wfc conditions the token does not meet");
    // The caller is not told what the ACL expects; the service's debug log is.
    expect(refused.json().reason).not.toContain("expected");
    expect(debugLines.at(-1)).toEqual({
      message: "request denied",
      details: {
        rule: "org1.reports",
        reason:
          "role matches but role 'role1', entry 1, allow[1] (line 4) 'org1.reports': wfc condition org failed: expected 'org1', got 'org2'",
      },
    });
    // A user without any work function context meets no condition.
    expect((await get("/org1/reports", null)).status).toBe(403);
  });

  it("checks a list of values and several fields together", async () => {
    expect((await get("/sales/reports", { ...WFC1, department: "sales" })).status).toBe(200);
    expect(
      (await get("/sales/reports", { ...WFC1, org: "org2", department: "sales" })).status,
    ).toBe(200);
    expect(
      (await get("/sales/reports", { ...WFC1, org: "org3", department: "sales" })).status,
    ).toBe(403);
    expect((await get("/sales/reports", { ...WFC1, department: "dept1" })).status).toBe(403);
  });

  it("compares with the route parameter the adapter passes", async () => {
    expect((await get("/orgs/org1/users", WFC1)).status).toBe(200);
    expect((await get("/orgs/org2/users", WFC1)).status).toBe(403);
    expect((await get("/orgs/org2/users", { ...WFC1, org: "org2" })).status).toBe(200);
    expect(debugLines.at(-1)?.details["reason"]).toContain(
      "wfc condition org failed: expected route parameter 'org' = 'org2', got 'org1'",
    );
    expect((await get("/all-orgs", WFC1)).status).toBe(403);
  });

  it("lets a super-role through regardless of conditions", async () => {
    const token = await mintToken(key, { sub: subject("boss", ["admin"], { ...WFC1, org: "x" }) });
    const res = await call(`${app.url}/org1/reports`, { headers: { "X-Auth-Token": token } });
    expect(res.status).toBe(200);
  });
});

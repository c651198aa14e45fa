// enforcer.explain(): which role and entry grant a rule, or why none does.
import { afterAll, describe, expect, it } from "vitest";
import { createEnforcer } from "../src/index.js";
import { generateSigningKey, mintToken, subject, TEST_ISSUER, WFC1 } from "./support/tokens.js";

const key = generateSigningKey();
const otherKey = generateSigningKey();
const enforcer = createEnforcer({
  publicKey: key.publicPem,
  issuer: TEST_ISSUER,
  roleToAclMap: [
    { name: "viewer", allow: ["docs.read", "reports.*"] },
    { name: "role1", allow: [{ rule: "orgs:read", org: { param: "org" } }] },
    { name: "role2", allow: [{ rule: "orgs:read", orgunit: ["ou7", "ou8"] }] },
  ],
});
afterAll(() => enforcer.close());

const claimsOf = (roles: string[], wfc: Record<string, unknown> | null = WFC1) => ({
  sub: subject("user1", roles, wfc),
});

describe("enforcer.explain", () => {
  it("names the granting role and entry for a verified token", async () => {
    const token = await mintToken(key, { roles: ["viewer"] });
    const explanation = await enforcer.explain(token, "reports.q3");
    expect(explanation).toMatchObject({
      allowed: true,
      code: "ALLOWED",
      role: "viewer",
      superRole: false,
      grantedBy: { role: "viewer", entry: 1, allowIndex: 1, rule: "reports.*", conditions: {} },
      user: { username: "user1", roles: ["viewer"] },
    });
    expect(explanation.reason).toBe(
      "role 'viewer' is allowed rule 'reports.q3' by 'reports.*' (role 'viewer', entry 1, allow[1] 'reports.*')",
    );
  });

  it("names the entry with conditions that granted, given claims and route params", async () => {
    const explanation = await enforcer.explain(claimsOf(["role2", "role1"]), "orgs:read", {
      params: { org: "org1" },
    });
    expect(explanation).toMatchObject({
      allowed: true,
      role: "role1",
      grantedBy: { entry: 2, allowIndex: 0, conditions: { org: { param: "org" } } },
    });
  });

  it("says 'no such rule' when no entry allows the rule", async () => {
    expect(await enforcer.explain(claimsOf(["viewer"]), "billing.pay")).toMatchObject({
      allowed: false,
      code: "NO_SUCH_RULE",
      reason: "no such rule: no entry of the ACL allows rule 'billing.pay'",
    });
  });

  it("says 'no role matches' and which roles have the rule", async () => {
    expect(await enforcer.explain(claimsOf(["viewer"]), "orgs:read")).toMatchObject({
      allowed: false,
      code: "NO_ROLE_MATCHES",
      reason:
        "no role matches: rule 'orgs:read' is allowed to [role1, role2], the token has [viewer]",
    });
  });

  it("names each failed wfc condition with what was expected and what the token has", async () => {
    const explanation = await enforcer.explain(claimsOf(["role1", "role2"]), "orgs:read", {
      params: { org: "org2" },
    });
    expect(explanation).toMatchObject({
      allowed: false,
      code: "CONDITION_FAILED",
      failures: [
        {
          role: "role1",
          entry: 2,
          field: "org",
          expected: "route parameter 'org' = 'org2'",
          got: "org1",
        },
        {
          role: "role2",
          entry: 3,
          field: "orgunit",
          expected: "one of ['ou7', 'ou8']",
          got: "ou1",
        },
      ],
    });
    expect(explanation.reason).toBe(
      "role matches but role 'role1', entry 2, allow[0] 'orgs:read': wfc condition org failed: expected route parameter 'org' = 'org2', got 'org1'; " +
        "role 'role2', entry 3, allow[0] 'orgs:read': wfc condition orgunit failed: expected one of ['ou7', 'ou8'], got 'ou1'",
    );
    const noParam = await enforcer.explain(claimsOf(["role1"]), "orgs:read");
    expect(noParam.reason).toContain("expected route parameter 'org' (the request has none)");
  });

  it("says why a token itself is refused", async () => {
    const forged = await mintToken(otherKey, { roles: ["viewer"] });
    expect(await enforcer.explain(forged, "docs.read")).toMatchObject({
      allowed: false,
      code: "TOKEN_INVALID",
    });
    expect(await enforcer.explain({ sub: "user1" }, "docs.read")).toMatchObject({
      allowed: false,
      code: "CLAIMS_INVALID",
      reason: "token claim 'sub' is not an object",
    });
  });

  it("refuses a token the host says is revoked, as check() would", async () => {
    const revoking = createEnforcer({
      publicKey: key.publicPem,
      issuer: TEST_ISSUER,
      roleToAclMap: [{ name: "viewer", allow: ["docs.read"] }],
      isTokenActive: (claims) => (claims["sub"] as { username: string }).username !== "gone",
    });
    try {
      const gone = await mintToken(key, { roles: ["viewer"], username: "gone" });
      expect(await revoking.explain(gone, "docs.read")).toMatchObject({
        allowed: false,
        code: "TOKEN_REVOKED",
      });
      const kept = await mintToken(key, { roles: ["viewer"] });
      expect((await revoking.explain(kept, "docs.read")).allowed).toBe(true);
    } finally {
      revoking.close();
    }
  });

  it("reports a super-role as such", async () => {
    expect(await enforcer.explain(claimsOf(["admin"]), "anything")).toMatchObject({
      allowed: true,
      role: "admin",
      superRole: true,
      reason: "role 'admin' is a super-role",
    });
  });
});

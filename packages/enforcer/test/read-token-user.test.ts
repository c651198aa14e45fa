import { describe, expect, it } from "vitest";
import { readTokenUser } from "../src/index.js";

// The claims layout the enforcer reads from every token's `sub`, cached or not: each field of the
// wrong type is named in the reason, absent optional fields read as null.

const wfc = { id: 7, name: "w", org: "o", orgunit: "u", department: "d" };

describe("readTokenUser", () => {
  it("reads the user, with absent optional fields as null and ids as numbers or strings", () => {
    expect(readTokenUser({ sub: { id: "u-1", roles: ["r"], extra: true } })).toEqual({
      ok: true,
      user: { id: "u-1", username: null, email: null, roles: ["r"], wfc: null },
    });
    expect(readTokenUser({ sub: { id: 1, username: "a", email: null, roles: [], wfc } })).toEqual({
      ok: true,
      user: { id: 1, username: "a", email: null, roles: [], wfc },
    });
  });

  it("names the first field of sub or sub.wfc that has the wrong type", () => {
    const reason = (sub: Record<string, unknown>) => {
      const read = readTokenUser({ sub: { roles: ["r"], ...sub } });
      return read.ok ? "accepted" : read.reason;
    };
    expect(reason({ id: true })).toBe("token claim 'sub.id' has the wrong type");
    expect(reason({ username: 5, email: 6 })).toBe("token claim 'sub.username' has the wrong type");
    expect(reason({ email: [] })).toBe("token claim 'sub.email' has the wrong type");
    expect(reason({ wfc: { ...wfc, id: {} } })).toBe("token claim 'sub.wfc.id' has the wrong type");
    expect(reason({ wfc: { ...wfc, org: 1, department: 2 } })).toBe(
      "token claim 'sub.wfc.org' has the wrong type",
    );
    expect(reason({ username: 1, wfc: { org: 1 } })).toBe(
      "token claim 'sub.username' has the wrong type",
    );
    expect(reason({ wfc: [] })).toBe("token claim 'sub.wfc' is not an object");
  });
});

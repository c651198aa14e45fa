import { describe, expect, it } from "vitest";
import { RevocationState } from "./revocation-state.js";

const T = 1_790_000_000_500; // a cutoff in ms, half a second into its second
const token = (claims: Record<string, unknown>) => ({
  sub: { username: "alice", roles: ["role1"] },
  ...claims,
});

describe("RevocationState", () => {
  it("refuses tokens issued under an older cutoff of their user, by tva when they carry it", () => {
    const state = new RevocationState();
    state.apply({ type: "user", username: "alice", validAfter: T });
    expect(state.isRevoked(token({ iat: Math.floor(T / 1000) - 5, tva: 0 }))).toBe(true);
    // Issued under the new cutoff (after a password change): passes, even in the same second.
    expect(state.isRevoked(token({ iat: Math.floor(T / 1000), tva: T }))).toBe(false);
    // Another user's token is untouched.
    expect(
      state.isRevoked({ sub: { username: "bob", roles: [] }, iat: Math.floor(T / 1000) - 5 }),
    ).toBe(false);
  });

  it("without tva goes by iat, refusing the cutoff's own second (the safe side)", () => {
    const state = new RevocationState();
    state.apply({ type: "user", username: "alice", validAfter: T });
    expect(state.isRevoked(token({ iat: Math.floor(T / 1000) }))).toBe(true);
    expect(state.isRevoked(token({ iat: Math.floor(T / 1000) + 1 }))).toBe(false);
  });

  it("lets a deleted and re-created user's new tokens through (tva 0, issued later)", () => {
    const state = new RevocationState();
    state.apply({ type: "user", username: "alice", validAfter: T });
    expect(state.isRevoked(token({ iat: Math.floor(T / 1000) + 2, tva: 0 }))).toBe(false);
  });

  it("refuses tokens of ended sessions, and reads the standard profile's user claim", () => {
    const state = new RevocationState();
    state.apply({ type: "session", sid: "s-1" });
    expect(state.isRevoked(token({ sid: "s-1", iat: 1 }))).toBe(true);
    expect(state.isRevoked(token({ sid: "s-2", iat: 1 }))).toBe(false);
    state.apply({ type: "user", username: "carol", validAfter: T });
    expect(state.isRevoked({ sub: "7", tokenleader: { username: "carol" }, iat: 1 })).toBe(true);
  });

  it("a resync replaces everything known", () => {
    const state = new RevocationState();
    state.apply({ type: "session", sid: "s-1" });
    state.replace({ users: [{ username: "alice", validAfter: T }], sessions: ["s-9"] });
    expect(state.isRevoked(token({ sid: "s-1", iat: 1, tva: T }))).toBe(false);
    expect(state.isRevoked(token({ sid: "s-9", iat: 1, tva: T }))).toBe(true);
    expect(state.isRevoked(token({ iat: 1, tva: 0 }))).toBe(true);
  });
});

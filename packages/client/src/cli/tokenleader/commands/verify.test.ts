import { describe, expect, it } from "vitest";
import { describeTokenUser } from "./verify.js";

describe("tokenleader verify: the user line", () => {
  it("shows the id and the e-mail address", () => {
    expect(describeTokenUser({ username: "user1", id: 2, email: "user1@example.org" })).toBe(
      "user1 (id 2, email user1@example.org)",
    );
  });

  it("leaves out an e-mail address that is empty or missing instead of printing `email )`", () => {
    expect(describeTokenUser({ username: "admin", id: 1, email: "" })).toBe("admin (id 1)");
    expect(describeTokenUser({ username: "admin", id: 1, email: null })).toBe("admin (id 1)");
    expect(describeTokenUser({ username: "admin", id: 1 })).toBe("admin (id 1)");
  });

  it("prints the bare name when the token carries neither", () => {
    expect(describeTokenUser({ username: "svc" })).toBe("svc");
  });
});

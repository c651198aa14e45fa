import { describe, expect, it } from "vitest";
import { parseRevocationNotice } from "./revocation-notices.js";

describe("parseRevocationNotice", () => {
  it("reads the two kinds of notice", () => {
    expect(parseRevocationNotice('{"kind":"session","sid":"abc"}')).toEqual({
      kind: "session",
      sid: "abc",
    });
    expect(parseRevocationNotice('{"kind":"user","username":"alice","source":"file"}')).toEqual({
      kind: "user",
      username: "alice",
      source: "file",
    });
  });

  it("refuses anything else", () => {
    for (const payload of [
      "",
      "not json",
      "null",
      '"session"',
      '{"kind":"session"}',
      '{"kind":"session","sid":7}',
      '{"kind":"user","username":"alice"}',
      '{"kind":"user","username":"alice","source":"ldap"}',
      '{"kind":"everything"}',
    ]) {
      expect(parseRevocationNotice(payload), payload).toBeNull();
    }
  });
});

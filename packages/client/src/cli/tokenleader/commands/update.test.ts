import { beforeEach, describe, expect, it } from "vitest";
import type { OriginalServer } from "../../../../test/original-server.js";
import { useStandInClient } from "../../../../test/stand-in-client.js";
import type { Client } from "../../../client/client.js";
import { UsageError } from "../../shared/output.js";
import { buildUpdateCall, type UpdateFlags } from "./update.js";

// What `tokenleader update user` sends: each call goes over real HTTP to the stand-in server,
// which records method, path and JSON body. The end-to-end runs against the real server are in
// tests/e2e/admin-cli.test.ts.

const standIn = useStandInClient();
let client: Client;
let server: OriginalServer;
beforeEach(() => {
  ({ client, server } = standIn());
});

/** A password reader that records whether it was asked. */
function reader() {
  const asked: string[] = [];
  return {
    asked,
    read: async (_flags: UpdateFlags, username: string) => {
      asked.push(username);
      return "n3w-pw";
    },
  };
}

describe("tokenleader update user: flags → request", () => {
  it.each<[string, UpdateFlags, unknown, boolean]>([
    [
      "--roles only (spaces trimmed, empty entries dropped): no password asked",
      { entity: "user", name: "user1", roles: " role1, ,role2" },
      { username: "user1", roles: ["role1", "role2"] },
      false,
    ],
    [
      '--roles "" removes every role',
      { entity: "user", name: "user1", roles: "" },
      { username: "user1", roles: [] },
      false,
    ],
    [
      "--roles given twice: the last one wins",
      { entity: "users", name: "user1", roles: ["role9", "role1"] as unknown as string },
      { username: "user1", roles: ["role1"] },
      false,
    ],
    [
      "--password-stdin only",
      { entity: "user", name: "user1", passwordStdin: true },
      { username: "user1", password: "n3w-pw" },
      true,
    ],
    [
      "--password and --roles",
      { entity: "user", name: "user1", password: "n3w-pw", roles: "role1" },
      { username: "user1", password: "n3w-pw", roles: ["role1"] },
      true,
    ],
    [
      "no flag at all: the password is asked for (a prompt on a terminal)",
      { entity: "user", name: "user1" },
      { username: "user1", password: "n3w-pw" },
      true,
    ],
  ])("%s", async (_what, flags, body, passwordAsked) => {
    const { asked, read } = reader();
    const call = await buildUpdateCall(flags, read);
    const before = server.stats.adminCalls.length;
    await call.send(client);
    expect(server.stats.adminCalls.slice(before)).toEqual([
      { method: "POST", url: "/update/user", body },
    ]);
    expect(asked).toEqual(passwordAsked ? ["user1"] : []);
  });

  it("answers with the updated user record", async () => {
    const call = await buildUpdateCall(
      { entity: "user", name: "user1", roles: "role1,role2" },
      reader().read,
    );
    expect((await call.send(client)).status).toMatchObject({
      username: "user1",
      roles: ["role1", "role2"],
    });
  });

  it.each<[string, UpdateFlags, string]>([
    ["no entity", { name: "x", roles: "r" }, "say what to update: tokenleader update user -n NAME"],
    [
      "another entity",
      { entity: "org", name: "x", roles: "r" },
      'only users can be updated ("org" cannot)',
    ],
    ["no name", { entity: "user", roles: "r" }, "update user needs a name: -n NAME"],
    ["blank name", { entity: "user", name: " ", roles: "r" }, "update user needs a name"],
    [
      "--password with --password-stdin",
      { entity: "user", name: "u", password: "a", passwordStdin: true },
      "either with --password or --password-stdin, not both",
    ],
  ])("usage error: %s (nothing asked)", async (_what, flags, message) => {
    const { asked, read } = reader();
    const error = await buildUpdateCall(flags, read).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
    expect(asked).toEqual([]);
  });
});

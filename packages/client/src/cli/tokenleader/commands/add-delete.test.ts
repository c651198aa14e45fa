import { beforeEach, describe, expect, it } from "vitest";
import type { OriginalServer } from "../../../../test/original-server.js";
import { useStandInClient } from "../../../../test/stand-in-client.js";
import type { Client } from "../../../client/client.js";
import { ClientError, type ClientErrorCode } from "../../../errors.js";
import { UsageError } from "../../shared/output.js";
import { type AddFlags, buildAddCall } from "./add.js";
import { explainRefusal } from "./add-delete-shared.js";
import { buildDeleteCall } from "./delete.js";

// What `tokenleader add/delete` send: each call goes over real HTTP to the stand-in of the
// original server, which records method, path and JSON body. The end-to-end runs against the real
// server are in tests/e2e/admin-cli.test.ts.

const standIn = useStandInClient();
let client: Client;
let server: OriginalServer;
beforeEach(() => {
  ({ client, server } = standIn());
});

const fixedPassword = async () => "s3cret";

/** Sends the call and returns what the server received (routes it lacks answer 404: ignored). */
async function sent(call: { send(c: Client): Promise<unknown> }) {
  const before = server.stats.adminCalls.length;
  await call.send(client).catch(() => {});
  const calls = server.stats.adminCalls.slice(before);
  expect(calls).toHaveLength(1);
  return calls[0];
}

describe("tokenleader add: flags → request (reference §3.6 keys)", () => {
  it.each<[string, AddFlags, string, unknown]>([
    ["org", { entity: "org", name: "org1" }, "/add/org", { oname: "org1" }],
    ["ou (alias orgunit)", { entity: "orgunit", name: "ou1" }, "/add/ou", { ouname: "ou1" }],
    ["dept", { entity: "dept", name: "dept1" }, "/add/dept", { deptname: "dept1" }],
    ["role", { entity: "role", name: "role1" }, "/add/role", { rolename: "role1" }],
    [
      "wfc",
      { entity: "wfc", name: "wfc1", wfcorg: "org1", wfcou: "ou1", wfcdept: "dept1" },
      "/add/wfc",
      { fname: "wfc1", orgname: "org1", ou_name: "ou1", dept_name: "dept1" },
    ],
    [
      "user with e-mail and two roles",
      {
        entity: "user",
        name: "u1",
        emailid: "u1@example.org",
        rolenames: " role1, ,role2",
        wfc: "wfc1",
      },
      "/add/user",
      {
        username: "u1",
        password: "s3cret",
        wfc: "wfc1",
        roles: ["role1", "role2"],
        email: "u1@example.org",
      },
    ],
    [
      "user without e-mail or roles",
      { entity: "user", name: "u2", wfc: "wfc1" },
      "/add/user",
      { username: "u2", password: "s3cret", wfc: "wfc1", roles: [] },
    ],
    [
      "service with every URL",
      {
        entity: "service",
        name: "svc",
        urlint: "http://i",
        urlext: "http://e",
        urladmin: "http://a",
      },
      "/add/service",
      { name: "svc", urlint: "http://i", urlext: "http://e", urladmin: "http://a" },
    ],
    [
      "service, internal URL only",
      { entity: "service", name: "svc", urlint: "http://i" },
      "/add/service",
      { name: "svc", urlint: "http://i" },
    ],
  ])("%s", async (_what, flags, url, body) => {
    const call = await buildAddCall(flags, fixedPassword);
    expect(await sent(call)).toEqual({ method: "POST", url, body });
  });

  it("answers with the server's sentence", async () => {
    const call = await buildAddCall({ entity: "org", name: "org1" }, fixedPassword);
    expect(await call.send(client)).toEqual({ status: "org1 has been registered." });
  });

  it.each<[string, AddFlags, string]>([
    ["no entity", { name: "x" }, "say what to add"],
    ["unknown entity", { entity: "planet", name: "x" }, 'unknown entity "planet"'],
    ["no name", { entity: "org" }, "add org needs a name: -n NAME"],
    ["blank name", { entity: "role", name: "  " }, "add role needs a name"],
    [
      "wfc without --wfcdept",
      { entity: "wfc", name: "w", wfcorg: "o", wfcou: "u" },
      "add wfc needs --wfcdept",
    ],
    ["user without --wfc", { entity: "user", name: "u" }, "add user needs --wfc"],
    ["service without --urlint", { entity: "service", name: "s" }, "add service needs --urlint"],
    [
      "a user flag on an org",
      { entity: "org", name: "o", rolenames: "role1" },
      '--rolenames does not apply to "add org" (it is for add user)',
    ],
    [
      "a service flag on a user",
      { entity: "user", name: "u", wfc: "w", urlint: "http://i" },
      '--urlint does not apply to "add user" (it is for add service)',
    ],
  ])("usage error: %s", async (_what, flags, message) => {
    let asked = false;
    const error = await buildAddCall(flags, async () => {
      asked = true;
      return "pw";
    }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(message);
    expect(asked).toBe(false);
  });
});

describe("tokenleader delete: flags → request", () => {
  it.each([
    ["org", "/delete/org", { oname: "n1" }],
    ["ou", "/delete/ou", { ouname: "n1" }],
    ["dept", "/delete/dept", { deptname: "n1" }],
    ["role", "/delete/role", { rolename: "n1" }],
    ["wfc", "/delete/wfc", { wfcname: "n1" }],
    ["user", "/delete/user", { username: "n1" }],
    ["service", "/delete/service", { name: "n1" }],
  ])("%s", async (entity, url, body) => {
    expect(await sent(buildDeleteCall({ entity, name: "n1" }))).toEqual({
      method: "DELETE",
      url,
      body,
    });
  });

  it("answers with the server's sentence; a missing name is a usage error", async () => {
    const call = buildDeleteCall({ entity: "org", name: "org1" });
    expect(await call.send(client)).toEqual({ status: "org1 has been  deleted successfully" });
    expect(() => buildDeleteCall({ entity: "user" })).toThrow("delete user needs a name: -n NAME");
    expect(() => buildDeleteCall({ entity: "tree", name: "x" })).toThrow('unknown entity "tree"');
  });
});

describe("explainRefusal: the server's 4xx answers as one line", () => {
  const refusal = (httpStatus: number, body: unknown, code: ClientErrorCode) =>
    new ClientError(code, `POST http://h/add/org: HTTP ${httpStatus}`, { httpStatus, body });

  it("403 → forbidden, naming the user, the action and the enforcer's reason", () => {
    const err = explainRefusal(
      refusal(
        403,
        {
          message: "this endpoint is restricted , authenticaton or authorization failed",
          reason: "none of the roles [role1] is allowed rule 'tokenleader.adminops.add_org'",
          code: "RULE_NOT_GRANTED",
        },
        "AUTH",
      ),
      'add org "o1"',
      "bob",
    ) as ClientError;
    expect(err.code).toBe("AUTH");
    expect(err.message).toBe(
      `forbidden: user "bob" may not add org "o1" (HTTP 403: none of the roles [role1] is allowed rule 'tokenleader.adminops.add_org')`,
    );
  });

  it("409 → the server's message and code; the ClientError code stays for scripts", () => {
    const err = explainRefusal(
      refusal(
        409,
        { status: "x\n\n y", message: 'org "o1" already exists', code: "ALREADY_EXISTS" },
        "CONFLICT",
      ),
      'add org "o1"',
      "admin",
    ) as ClientError;
    expect(err.code).toBe("CONFLICT");
    expect(err.httpStatus).toBe(409);
    expect(err.message).toBe(
      `cannot add org "o1": org "o1" already exists (HTTP 409 ALREADY_EXISTS)`,
    );
  });

  it("leaves 401, 5xx, network errors and bodies without a message alone", () => {
    const unauthorized = refusal(401, { message: "restricted" }, "AUTH");
    const network = new ClientError("NETWORK", "connection refused");
    const bare = refusal(404, "<h1>Not Found</h1>", "BAD_RESPONSE");
    for (const err of [unauthorized, network, bare]) {
      expect(explainRefusal(err, "add org", "u")).toBe(err);
    }
  });
});

import { writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { Client, type UpdateUserRequest } from "../src/client/client.js";
import type {
  AdminResponse,
  GetServiceStatus,
  GetUserStatus,
  LegacyListStatus,
  NamedRecord,
  OrgRecord,
  ServiceRecord,
  UserRecord,
  WfcRecord,
} from "../src/client/responses.js";
import { Configs } from "../src/config/configs.js";
import { ClientError, toCompatErrorBody } from "../src/errors.js";
import { createHttpTransport } from "../src/http/http-transport.js";
import { EXPIRED_REFERENCE_JWT } from "../src/token/reference-vectors.test-helpers.js";
import { makeTempDir, writeOriginalTestData } from "./fixtures.js";
import { type OriginalServer, startOriginalServer } from "./original-server.js";

let tmp: ReturnType<typeof makeTempDir>;
let server: OriginalServer;
let files: ReturnType<typeof writeOriginalTestData>;
const warnings: string[] = [];
const warn = (m: string) => warnings.push(m);
const clients: Client[] = [];
function newClient(configs: Configs, opts: ConstructorParameters<typeof Client>[1] = {}): Client {
  const c = new Client(configs, { warn, ...opts });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  tmp = makeTempDir();
  server = await startOriginalServer();
  files = writeOriginalTestData(tmp.dir, {
    tlUrl: server.url,
    publicKey: server.publicKeyLine,
    // The stand-in for tokenleader 1.8 issues tokens without iss, as the original did.
    extraLines: "tl_accept_tokens_without_issuer: yes",
  });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  tmp.cleanup();
});

/** A port nothing listens on: bind an ephemeral one and release it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function rejection(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ClientError);
    return err as ClientError;
  }
  throw new Error("expected a rejection");
}

// base_tests.py tests that needed a running server (★ in reference §9.3), with the same data.
describe("base_tests.py server tests, against a server speaking the original wire format", () => {
  it("test_get_token_method: getToken returns an object with auth_token", async () => {
    const r1 = await newClient(new Configs({ configFile: files.configFile })).getToken();
    expect(typeof r1).toBe("object");
    expect(r1).toHaveProperty("auth_token");
  });

  it("test_get_token_method_with_manual_user_input: an object with service_catalog", async () => {
    const conf = new Configs({ configFile: files.configFile, user: "user1", password: "user1" });
    const r1 = await newClient(conf).getToken();
    expect(r1).toHaveProperty("service_catalog");
    expect(r1).toMatchObject({ status: "success", message: "success" });
  });

  for (const [name, conf] of [
    ["test_verify_token_local", () => new Configs({ configFile: files.configFile })],
    [
      "test_verify_token_local_manaul_user",
      () => new Configs({ configFile: files.configFile, user: "user1", password: "user1" }),
    ],
  ] as const) {
    it(`${name}: local verifyToken of a fresh token succeeds and payload.sub is an object`, async () => {
      const client = newClient(conf());
      const r = await client.getTokenOrThrow();
      const r1 = await client.verifyToken(r.auth_token);
      expect(r1.status).toBe("Verification Successful");
      expect(typeof (r1.payload as { sub: unknown }).sub).toBe("object");
    });
  }
});

describe("Client token calls", () => {
  it("returns the server's refusal bodies from getToken and throws AUTH from getTokenOrThrow", async () => {
    const wrong = newClient(new Configs({ configFile: files.configFile, password: "nope" }));
    expect(await wrong.getToken()).toEqual({
      status: "Wrong Password",
      message: "Password did not match",
    });
    const err = await rejection(wrong.getTokenOrThrow());
    expect(err.code).toBe("AUTH");
    expect(err.message).toContain("Wrong Password");

    const unknown = newClient(
      new Configs({ configFile: files.configFile, user: "susan", password: "x" }),
    );
    expect((await unknown.getToken()).status).toBe("User not registered");
  });

  it("verifies through the server's JWKS when tl_public_key is not configured", async () => {
    const configFile = join(tmp.dir, "jwks.yml");
    writeFileSync(
      configFile,
      `user_auth_info_from: OSENV\ntl_url: ${server.url}\ntl_accept_tokens_without_issuer: yes\n`,
    );
    const client = newClient(
      new Configs({ configFile, env: { TL_USER: "user1", TL_PASSWORD: "user1" } }),
    );
    const token = (await client.getTokenOrThrow()).auth_token;
    expect((await client.verifyToken(token)).status).toBe("Verification Successful");
    expect((await client.verifyToken(EXPIRED_REFERENCE_JWT)).status).toBe("Invalid token");
  });

  it("throws NETWORK (not 'Invalid token') when the JWKS cannot be fetched because the server is down", async () => {
    const port = await closedPort();
    const configFile = join(tmp.dir, "jwks-down.yml");
    writeFileSync(configFile, `user_auth_info_from: OSENV\ntl_url: http://127.0.0.1:${port}\n`);
    const client = newClient(new Configs({ configFile, env: {} }));
    const err = await rejection(client.verifyToken(await server.mintToken()));
    expect(err.code).toBe("NETWORK");
    expect(err.message).toBe(
      `GET http://127.0.0.1:${port}/.well-known/jwks.json: cannot connect (ECONNREFUSED); the token could not be checked: its signing keys are unavailable`,
    );
    // A token that is invalid whatever the keys still gets its verdict.
    expect((await client.verifyToken("not-a-jwt")).status).toBe("Invalid token");
  });

  it("throws SERVER when the JWKS URL answers HTTP 500", async () => {
    const configFile = join(tmp.dir, "jwks-500.yml");
    writeFileSync(
      configFile,
      `user_auth_info_from: OSENV\ntl_url: ${server.url}\ntl_jwks_url: ${server.url}/broken\n`,
    );
    const err = await rejection(
      newClient(new Configs({ configFile, env: {} })).verifyToken(await server.mintToken()),
    );
    expect(err.code).toBe("SERVER");
    expect(err.httpStatus).toBe(500);
    expect(err.message).toBe(
      `the token could not be checked: its signing keys are unavailable (JWKS ${server.url}/broken answered HTTP 500)`,
    );
  });

  it("reports an unusable tl_public_key as a CONFIG error naming the key", async () => {
    const { configFile } = writeOriginalTestData(join(tmp.dir, "badkey"), {
      tlUrl: server.url,
      publicKey: "ssh-rsa garbage",
    });
    const err = await rejection(newClient(new Configs({ configFile })).verifyToken("a.b.c"));
    expect(err.code).toBe("CONFIG");
    expect(err.message).toContain('key "tl_public_key"');
  });
});

describe("Client admin calls", () => {
  it("reuses one token for many calls and sends the original routes and bodies", async () => {
    const client = newClient(new Configs({ configFile: files.configFile }));
    const loginsBefore = server.stats.logins;
    expect((await client.listUsers()).status).toEqual([
      expect.objectContaining({ username: "user1" }),
    ]);
    expect((await client.getUser("user1")).status).toMatchObject({ username: "user1" });
    expect((await client.getUser("nobody")).status).toEqual({ error: "No such record is found" });
    expect((await client.listOrg()).status).toEqual({ name: "org1" });
    expect((await client.listOrgUnits()).status).toEqual({ name: "ou1" });
    expect((await client.listDept()).status).toEqual({ name: "dept1" });
    expect((await client.listRoles()).status).toEqual({ name: "role1" });
    expect((await client.listWfc()).status).toEqual({ name: "wfc1" });
    expect((await client.listServices()).status).toHaveLength(1);
    expect((await client.getService("tokenleader")).status).toMatchObject({ name: "tokenleader" });
    expect((await client.addOrg({ oname: "org9" })).status).toBe("org9 has been registered.");
    expect((await client.deleteOrg({ oname: "org9" })).status).toBe(
      "org9 has been  deleted successfully",
    );
    await client.addUser({
      username: "u2",
      email: "u2@abc.com",
      password: "u2",
      wfc: "wfc1",
      roles: ["role1"],
    });
    expect(server.stats.logins - loginsBefore).toBe(1);
    expect(server.stats.adminCalls.slice(-3)).toEqual([
      { method: "POST", url: "/add/org", body: { oname: "org9" } },
      { method: "DELETE", url: "/delete/org", body: { oname: "org9" } },
      {
        method: "POST",
        url: "/add/user",
        body: {
          username: "u2",
          email: "u2@abc.com",
          password: "u2",
          wfc: "wfc1",
          roles: ["role1"],
        },
      },
    ]);
  });

  it("updateUser sends POST /update/user with only the keys given and resolves to the user", async () => {
    const client = newClient(new Configs({ configFile: files.configFile }));
    const both = await client.updateUser({
      username: "user1",
      password: "new-pw",
      roles: ["role1", "role2"],
    });
    expect(both.status).toEqual({
      id: 1,
      username: "user1",
      email: "user1",
      roles: ["role1", "role2"],
      wfc: { id: 1, name: "wfc1", org: "org1", orgunit: "ou1", department: "dept1" },
    });
    expect((await client.updateUser({ username: "user1", roles: [] })).status.roles).toEqual([]);
    await client.updateUser({ username: "user1", password: "other-pw" });
    expect(server.stats.adminCalls.slice(-3)).toEqual([
      {
        method: "POST",
        url: "/update/user",
        body: { username: "user1", password: "new-pw", roles: ["role1", "role2"] },
      },
      { method: "POST", url: "/update/user", body: { username: "user1", roles: [] } },
      { method: "POST", url: "/update/user", body: { username: "user1", password: "other-pw" } },
    ]);
  });

  it("updateUser refusals: an unknown role is INVALID_REQUEST (422), an unknown user NOT_FOUND", async () => {
    const client = newClient(new Configs({ configFile: files.configFile }));
    const badRole = await rejection(client.updateUser({ username: "user1", roles: ["ghost"] }));
    expect(badRole).toMatchObject({
      code: "INVALID_REQUEST",
      httpStatus: 422,
      serverCode: "UNKNOWN_REFERENCE",
    });
    expect(badRole.message).toContain('role "ghost" does not exist');
    const unknown = await rejection(client.updateUser({ username: "nobody", password: "pw" }));
    expect(unknown).toMatchObject({ code: "NOT_FOUND", httpStatus: 404 });
  });

  it("revokeUser sends POST /revoke/user with the name and resolves to the unchanged user", async () => {
    const client = newClient(new Configs({ configFile: files.configFile }));
    const revoked = await client.revokeUser("user1");
    expect(revoked.status).toEqual({
      id: 1,
      username: "user1",
      email: "user1",
      roles: ["role1"],
      wfc: { id: 1, name: "wfc1", org: "org1", orgunit: "ou1", department: "dept1" },
    });
    expect(server.stats.adminCalls.at(-1)).toEqual({
      method: "POST",
      url: "/revoke/user",
      body: { username: "user1" },
    });
  });

  it("revokeUser refusals: an unknown user is NOT_FOUND (404), a blank name INVALID_REQUEST (400)", async () => {
    const client = newClient(new Configs({ configFile: files.configFile }));
    const unknown = await rejection(client.revokeUser("nobody"));
    expect(unknown).toMatchObject({ code: "NOT_FOUND", httpStatus: 404, serverCode: "NOT_FOUND" });
    expect(unknown.message).toContain('user "nobody" not found (HTTP 404 from POST');
    const blank = await rejection(client.revokeUser(" "));
    expect(blank).toMatchObject({
      code: "INVALID_REQUEST",
      httpStatus: 400,
      serverCode: "VALIDATION_FAILED",
    });
    expect(blank.message).toContain("username must not be empty");
  });

  it("types the records as the server sends them", () => {
    type Status<M extends keyof Client> = Client[M] extends (...args: never[]) => Promise<infer R>
      ? R
      : never;
    expectTypeOf<Status<"listUsers">>().toEqualTypeOf<AdminResponse<UserRecord[]>>();
    expectTypeOf<Status<"getUser">>().toEqualTypeOf<AdminResponse<GetUserStatus>>();
    expectTypeOf<Status<"listOrg">>().toEqualTypeOf<
      AdminResponse<OrgRecord[] | LegacyListStatus>
    >();
    for (const method of ["listOrgUnits", "listDept", "listRoles"] as const) {
      expectTypeOf<Status<typeof method>>().toEqualTypeOf<
        AdminResponse<NamedRecord[] | LegacyListStatus>
      >();
    }
    expectTypeOf<Status<"listWfc">>().toEqualTypeOf<AdminResponse<WfcRecord[]>>();
    expectTypeOf<Status<"listServices">>().toEqualTypeOf<AdminResponse<ServiceRecord[]>>();
    expectTypeOf<Status<"getService">>().toEqualTypeOf<AdminResponse<GetServiceStatus>>();
    expectTypeOf<Status<"addOrg">>().toEqualTypeOf<AdminResponse<string>>();
    expectTypeOf<Status<"updateUser">>().toEqualTypeOf<AdminResponse<UserRecord>>();
    expectTypeOf<Parameters<Client["updateUser"]>[0]>().toEqualTypeOf<UpdateUserRequest>();
    expectTypeOf<Status<"revokeUser">>().toEqualTypeOf<AdminResponse<UserRecord>>();
    expectTypeOf<Parameters<Client["revokeUser"]>>().toEqualTypeOf<[username: string]>();
    expectTypeOf<UpdateUserRequest>().toEqualTypeOf<{
      username: string;
      password?: string;
      roles?: string[];
    }>();
    expectTypeOf<UserRecord>().toEqualTypeOf<{
      id: number;
      username: string;
      email: string | null;
      roles: string[];
      wfc: WfcRecord | null;
    }>();
    expectTypeOf<WfcRecord>().toEqualTypeOf<{
      id: number;
      name: string;
      org: string;
      orgunit: string;
      department: string;
    }>();
    expectTypeOf<ServiceRecord>().toEqualTypeOf<{
      id: number;
      name: string;
      endpoint_url_internal: string | null;
      endpoint_url_external: string | null;
      endpoint_url_admin: string | null;
    }>();
  });

  it("a listed user has the UserRecord fields", async () => {
    const client = newClient(new Configs({ configFile: files.configFile }));
    const [user] = (await client.listUsers()).status;
    expect(Object.keys(user!).sort()).toEqual(["email", "id", "roles", "username", "wfc"]);
    expect(Object.keys(user!.wfc!).sort()).toEqual(["department", "id", "name", "org", "orgunit"]);
  });

  it("logs in again when the token is within 30 s of expiry", async () => {
    server.tokenLifetimeSec = 20;
    try {
      const client = newClient(new Configs({ configFile: files.configFile }));
      const before = server.stats.logins;
      await client.listUsers();
      await client.listUsers();
      expect(server.stats.logins - before).toBe(2);
    } finally {
      server.tokenLifetimeSec = 3600;
    }
  });

  it("turns the enforcer's text/html denial into an AUTH error", async () => {
    const http = createHttpTransport();
    const err = await rejection(http.requestJson("GET", `${server.url}/list/users`));
    expect(err.code).toBe("AUTH");
    expect(err.message).toContain("this endpoint is restricted");
    await http.close();
  });

  it("fails with CREDENTIALS before any request when the stored password cannot be decrypted", async () => {
    const bad = writeOriginalTestData(join(tmp.dir, "badpw"), {
      tlUrl: server.url,
      publicKey: server.publicKeyLine,
    });
    writeFileSync(bad.keyFile, "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=");
    const err = await rejection(newClient(new Configs({ configFile: bad.configFile })).listUsers());
    expect(err.code).toBe("CREDENTIALS");
    expect(err.message).toMatch(/cannot be decrypted with key file/);
  });
});

describe("transport failures are typed", () => {
  it("NETWORK when nothing listens, with the original's error dict available for --compat", async () => {
    const dir = join(tmp.dir, "closed");
    const port = await closedPort();
    const { configFile } = writeOriginalTestData(dir, { tlUrl: `http://127.0.0.1:${port}` });
    const err = await rejection(newClient(new Configs({ configFile })).getToken());
    expect(err.code).toBe("NETWORK");
    expect(err.message).toMatch(/cannot connect \(ECONNREFUSED\)/);
    expect(toCompatErrorBody(err).error).toMatch(
      /^could not conect to server , the error is POST http:\/\/127\.0\.0\.1:\d+\/token\/gettoken: cannot connect/,
    );
  });

  it("TIMEOUT when the server does not answer in time", async () => {
    server.delayMs = 2_000;
    try {
      const client = newClient(new Configs({ configFile: files.configFile }), { timeoutMs: 300 });
      const err = await rejection(client.getToken());
      expect(err.code).toBe("TIMEOUT");
      expect(err.message).toContain("300 ms");
    } finally {
      server.delayMs = 0;
    }
  });

  it("SERVER for a 500 HTML page and BAD_RESPONSE for a non-JSON 200", async () => {
    const http = createHttpTransport();
    expect((await rejection(http.requestJson("GET", `${server.url}/broken`))).code).toBe("SERVER");
    expect((await rejection(http.requestJson("GET", `${server.url}/not-json`))).code).toBe(
      "BAD_RESPONSE",
    );
    expect((await rejection(http.requestJson("GET", `${server.url}/nothing-here`))).code).toBe(
      "AUTH",
    );
    await http.close();
  });
});

describe("TLS", () => {
  let tlsServer: OriginalServer & { caCertFile?: string };
  beforeAll(async () => {
    tlsServer = await startOriginalServer({ tls: { dir: tmp.dir } });
  });
  afterAll(() => tlsServer.close());

  it("fails with TLS for a self-signed certificate when ssl_verify is on", async () => {
    const { configFile } = writeOriginalTestData(join(tmp.dir, "tls1"), {
      tlUrl: tlsServer.url,
      publicKey: tlsServer.publicKeyLine,
      extraLines: "ssl_verify: True",
    });
    const err = await rejection(newClient(new Configs({ configFile })).getToken());
    expect(err.code).toBe("TLS");
    expect(err.message).toMatch(/ca_file/);
  });

  it("accepts the private CA given in ca_file, without warning", async () => {
    const { configFile } = writeOriginalTestData(join(tmp.dir, "tls2"), {
      tlUrl: tlsServer.url,
      publicKey: tlsServer.publicKeyLine,
      extraLines: `ssl_verify: True\nca_file: ${tlsServer.caCertFile}`,
    });
    warnings.length = 0;
    const client = newClient(new Configs({ configFile }));
    expect((await client.getToken()).status).toBe("success");
    expect(warnings).toEqual([]);
  });

  it("does not warn about ssl_verify: False when tl_url (and the JWKS) are http://", async () => {
    // The original sample's ssl_verify: False with an http:// URL: nothing is left unverified.
    const configFile = join(tmp.dir, "plain-http.yml");
    writeFileSync(
      configFile,
      `user_auth_info_from: OSENV\nssl_verify: False\ntl_url: ${server.url}\ntl_accept_tokens_without_issuer: yes\n`,
    );
    warnings.length = 0;
    const client = newClient(
      new Configs({ configFile, env: { TL_USER: "user1", TL_PASSWORD: "user1" } }),
    );
    const token = (await client.getTokenOrThrow()).auth_token;
    expect((await client.verifyToken(token)).status).toBe("Verification Successful");
    expect(warnings).toEqual([]);
  });

  it("honours ssl_verify: False (the original sample's value) with a warning", async () => {
    const { configFile } = writeOriginalTestData(join(tmp.dir, "tls3"), {
      tlUrl: tlsServer.url,
      publicKey: tlsServer.publicKeyLine,
    });
    warnings.length = 0;
    const client = newClient(new Configs({ configFile }));
    expect((await client.getToken()).status).toBe("success");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ssl_verify is False/);
  });
});

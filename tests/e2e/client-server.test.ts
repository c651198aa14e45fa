import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, Configs, VERIFY_STATUS } from "@tokenleader/client";
import {
  decodeJwt,
  decodeProtectedHeader,
  generateKeyPair,
  importPKCS8,
  type JWTPayload,
  SignJWT,
} from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPIRED_REFERENCE_JWT } from "../../packages/client/src/token/reference-vectors.test-helpers.js";
import { passwordFileOf, writeClientConfig } from "./support/client-config.js";
import { BIN, runCli } from "./support/processes.js";
import { startTokenleaderServer, type TokenleaderServer } from "./support/server-process.js";

// The client package against a real tokenleader-server process (issue 5, "Done means"): the
// CLIs as real processes, and Client.verifyToken agreeing with the server's /token/verify_token.

let server: TokenleaderServer;
let dir: string;
/** tl_public_key = the server's OpenSSH key, password file written by tokenleader-auth. */
let sshKeyConfig: string;
/** No tl_public_key: keys come from <tl_url>/.well-known/jwks.json. */
let jwksConfig: string;
const clients: Client[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tl-e2e-client-"));
  server = await startTokenleaderServer();
  sshKeyConfig = writeClientConfig(dir, "ssh-key", {
    tlUrl: server.url,
    tlUser: "admin",
    publicKey: server.publicKeyLine,
  });
  jwksConfig = writeClientConfig(dir, "jwks", { tlUrl: server.url, tlUser: "admin" });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const tokenleader = (config: string, args: string[]) =>
  runCli(BIN.tokenleader, [...args, "--config", config]);

function newClient(configFile: string, password?: string): Client {
  const client = new Client(new Configs({ configFile, user: "admin", password }));
  clients.push(client);
  return client;
}

describe("tokenleader-auth + tokenleader against a real server", () => {
  it("tokenleader-auth --password-stdin stores the admin password, 0600", async () => {
    for (const config of [sshKeyConfig, jwksConfig]) {
      const run = await runCli(BIN.tokenleaderAuth, ["--config", config, "--password-stdin"], {
        input: `${server.adminPassword}\n`,
      });
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`${passwordFileOf(config)} has been generated`);
      expect(statSync(passwordFileOf(config)).mode & 0o777).toBe(0o600);
    }
  });

  it("gettoken --json prints the server's answer with a token the server accepts", async () => {
    const run = await tokenleader(sshKeyConfig, ["gettoken", "--json"]);
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout) as { status: string; auth_token: string };
    expect(body.status).toBe("success");
    expect(decodeJwt(body.auth_token).sub).toMatchObject({ username: "admin", roles: ["admin"] });
    const remote = await newClient(sshKeyConfig).verifyTokenRemote(body.auth_token);
    expect(remote.status).toBe(VERIFY_STATUS.success);
  });

  it("gettoken --print-token prints only the token; verify -t accepts it locally (ssh-rsa key and JWKS) and --remote", async () => {
    const run = await tokenleader(sshKeyConfig, ["gettoken", "--print-token"]);
    expect(run.code).toBe(0);
    const lines = run.stdout.split("\n").filter(Boolean);
    expect(lines).toHaveLength(1);
    const token = lines[0]!;
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    const [local, viaJwks, remote] = await Promise.all([
      tokenleader(sshKeyConfig, ["verify", "-t", token]),
      tokenleader(jwksConfig, ["verify", "-t", token]),
      tokenleader(sshKeyConfig, ["verify", "-t", token, "--remote"]),
    ]);
    for (const result of [local, viaJwks, remote]) {
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("Verification Successful");
    }
    // The bootstrap administrator has no e-mail address: no empty "email )" part.
    expect(local.stdout).toMatch(/^user: {5}admin \(id \d+\)$/m);
    expect(local.stdout).toMatch(/wfc:\s+default \(org default, ou default, dept default\)/);
  });

  it("a wrong stored password: gettoken exits non-zero with the server's refusal on one line", async () => {
    const wrong = writeClientConfig(dir, "wrong", { tlUrl: server.url, tlUser: "admin" });
    const auth = await runCli(BIN.tokenleaderAuth, ["--config", wrong, "--password-stdin"], {
      input: "not-the-password\n",
    });
    expect(auth.code).toBe(0);
    const runs = await Promise.all([
      tokenleader(wrong, ["gettoken"]),
      tokenleader(wrong, ["gettoken", "--print-token"]),
    ]);
    for (const run of runs) {
      expect(run.code).not.toBe(0);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toContain("Wrong Password");
      expect(run.stdout).not.toMatch(/eyJ/);
    }
  });

  it("verify exits non-zero for a token that is not valid, locally and remotely", async () => {
    const valid = await server.getToken("admin", server.adminPassword);
    const tampered = tamper(valid);
    const [local, remote] = await Promise.all([
      tokenleader(sshKeyConfig, ["verify", "-t", tampered]),
      tokenleader(sshKeyConfig, ["verify", "-t", tampered, "--remote", "--json"]),
    ]);
    expect(local.code).toBe(1);
    expect(local.stdout).toContain("Invalid token");
    expect(remote.code).toBe(1);
    expect(JSON.parse(remote.stdout)).toMatchObject({ status: "Invalid token" });
  });
});

/** Changes the username in the payload and keeps the signature: a forged token. */
function tamper(token: string): string {
  const [header, payload, signature] = token.split(".");
  const claims = JSON.parse(Buffer.from(payload!, "base64url").toString()) as JWTPayload & {
    sub: { username: string };
  };
  claims.sub.username = "someone-else";
  return [header, Buffer.from(JSON.stringify(claims)).toString("base64url"), signature].join(".");
}

describe("Client.verifyToken agrees with the server's /token/verify_token", () => {
  let tokens: Record<string, string>;
  const expected: Record<string, string> = {
    valid: VERIFY_STATUS.success,
    "valid, no kid (original header)": VERIFY_STATUS.success,
    expired: VERIFY_STATUS.expired,
    "expired, no kid": VERIFY_STATUS.expired,
    tampered: VERIFY_STATUS.invalid,
    "wrong key": VERIFY_STATUS.invalid,
    "wrong key, server's kid": VERIFY_STATUS.invalid,
    "not a JWT": VERIFY_STATUS.invalid,
    "junk before a valid token": VERIFY_STATUS.invalid,
    "the original's expired reference token (another key)": VERIFY_STATUS.invalid,
    "no iss (tokenleader 1.8's layout)": VERIFY_STATUS.invalid,
    "another issuer": VERIFY_STATUS.invalid,
    "iat in the year 2100": VERIFY_STATUS.invalid,
  };

  beforeAll(async () => {
    const valid = await server.getToken("admin", server.adminPassword);
    const { kid } = decodeProtectedHeader(valid);
    const { sub, iss } = decodeJwt(valid) as unknown as { sub: object; iss: string };
    const serverKey = await importPKCS8(server.privateKeyPem, "RS512");
    const otherKey = (await generateKeyPair("RS512")).privateKey;
    const now = Math.floor(Date.now() / 1000);
    // The original's claims: {exp, iat, sub: {id, username, email, roles, wfc}} signed RS512,
    // plus the server's `iss`, which the client learns from the discovery document.
    const mint = (
      key: Parameters<SignJWT["sign"]>[0],
      exp: number,
      withKid?: string,
      claims: object = { iss },
    ) =>
      new SignJWT({ sub, ...claims } as unknown as JWTPayload)
        .setProtectedHeader({ alg: "RS512", typ: "JWT", ...(withKid ? { kid: withKid } : {}) })
        .setIssuedAt(exp - 3600)
        .setExpirationTime(exp)
        .sign(key);
    const year2100 = Math.floor(Date.UTC(2100, 0, 1) / 1000);
    tokens = {
      valid,
      "valid, no kid (original header)": await mint(serverKey, now + 600),
      expired: await mint(serverKey, now - 600, kid),
      "expired, no kid": await mint(serverKey, now - 600),
      tampered: tamper(valid),
      "wrong key": await mint(otherKey, now + 600),
      "wrong key, server's kid": await mint(otherKey, now + 600, kid),
      "not a JWT": "abc.def.ghi",
      "junk before a valid token": `11${valid}`,
      "the original's expired reference token (another key)": EXPIRED_REFERENCE_JWT,
      "no iss (tokenleader 1.8's layout)": await mint(serverKey, now + 600, kid, {}),
      "another issuer": await mint(serverKey, now + 600, kid, { iss: "https://evil.example" }),
      "iat in the year 2100": await new SignJWT({
        sub,
        iss,
        iat: year2100,
      } as unknown as JWTPayload)
        .setProtectedHeader({ alg: "RS512", typ: "JWT", kid })
        .setExpirationTime(year2100 + 3600)
        .sign(serverKey),
    };
  });

  it.each([
    ["tl_public_key (ssh-rsa)", () => sshKeyConfig],
    ["JWKS", () => jwksConfig],
  ])(
    "with %s: same status, message and payload as the server for every kind of token",
    async (_name, config) => {
      const client = newClient(config(), server.adminPassword);
      for (const [kind, token] of Object.entries(tokens)) {
        const [local, remote] = await Promise.all([
          client.verifyToken(token),
          client.verifyTokenRemote(token),
        ]);
        expect({ kind, status: remote.status }).toEqual({ kind, status: expected[kind] });
        expect({
          kind,
          status: local.status,
          message: local.message,
          payload: local.payload,
        }).toEqual({
          kind,
          status: remote.status,
          message: remote.message,
          payload: remote.payload,
        });
      }
    },
  );
});

import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "../src/client/client.js";
import { Configs } from "../src/config/configs.js";
import { ClientError } from "../src/errors.js";
import { generateTestKeyPair, mintToken } from "../src/token/mint-token.test-helpers.js";
import {
  DEVELOPER_SSH_RSA_PUBLIC_KEY,
  EXPIRED_REFERENCE_JWT,
} from "../src/token/reference-vectors.test-helpers.js";
import { makeTempDir } from "./fixtures.js";

// Client.verifyToken refuses tokens of another issuer, without one, or from the future (issue 12).
// The expected issuer is `tl_issuer`, or the one the server's discovery document names.

const ISSUER = "https://tokenleader.test";
const { privateKey, publicKey } = generateTestKeyPair("RS512");
const tmp = makeTempDir();
let server: Server;
let url: string;
let discoveryFetches = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/.well-known/openid-configuration") {
      discoveryFetches++;
      res.end(JSON.stringify({ issuer: ISSUER, jwks_uri: `${url}/.well-known/jwks.json` }));
      return;
    }
    if (req.url === "/.well-known/jwks.json") {
      res.end(JSON.stringify({ keys: [{ ...publicKey.export({ format: "jwk" }), alg: "RS512" }] }));
      return;
    }
    res.writeHead(404).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  tmp.cleanup();
});

let configCount = 0;
function clientWith(lines: string[]): Client {
  const configFile = join(tmp.dir, `config-${configCount++}.yml`);
  writeFileSync(configFile, ["user_auth_info_from: OSENV", ...lines, ""].join("\n"));
  return new Client(new Configs({ configFile, env: {} }), { timeoutMs: 2000 });
}
const mint = (claims: object) => mintToken(privateKey, "RS512", { extraClaims: claims });
const statusOf = async (client: Client, token: string) => (await client.verifyToken(token)).status;

describe("Client.verifyToken and the token's issuer", () => {
  it("learns the issuer from the discovery document, once, and refuses another or none", async () => {
    const client = clientWith([`tl_url: ${url}`]);
    const before = discoveryFetches;
    expect(await statusOf(client, await mint({ iss: ISSUER }))).toBe("Verification Successful");
    expect(await client.verifyToken(await mint({ iss: "https://evil.example" }))).toMatchObject({
      status: "Invalid token",
      reason: "wrong_issuer",
    });
    expect(await client.verifyToken(await mint({}))).toMatchObject({
      status: "Invalid token",
      reason: "wrong_issuer",
    });
    expect(discoveryFetches - before).toBe(1);
  });

  it("accepts a token without iss with tl_accept_tokens_without_issuer: yes, never another issuer's", async () => {
    const client = clientWith([`tl_url: ${url}`, "tl_accept_tokens_without_issuer: yes"]);
    expect(await statusOf(client, await mint({}))).toBe("Verification Successful");
    expect(await statusOf(client, await mint({ iss: "https://evil.example" }))).toBe(
      "Invalid token",
    );
  });

  it("uses tl_issuer when configured, without asking the server", async () => {
    const client = clientWith([`tl_url: ${url}`, "tl_issuer: https://other.example"]);
    const before = discoveryFetches;
    expect(await statusOf(client, await mint({ iss: ISSUER }))).toBe("Invalid token");
    expect(await statusOf(client, await mint({ iss: "https://other.example" }))).toBe(
      "Verification Successful",
    );
    expect(discoveryFetches).toBe(before);
  });

  it("refuses an iat in the year 2100 and an nbf beyond the leeway; accepts one within it", async () => {
    const client = clientWith([`tl_url: ${url}`, `tl_issuer: ${ISSUER}`]);
    const year2100 = Math.floor(Date.UTC(2100, 0, 1) / 1000);
    const now = Math.floor(Date.now() / 1000);
    expect(
      await client.verifyToken(await mint({ iss: ISSUER, iat: year2100, exp: year2100 + 60 })),
    ).toMatchObject({ status: "Invalid token", reason: "not_yet_valid" });
    const nbfIn120 = await mint({ iss: ISSUER, nbf: now + 120 });
    expect(await statusOf(client, nbfIn120)).toBe("Invalid token");
    const nbfIn20 = await mint({ iss: ISSUER, nbf: now + 20 });
    expect(await statusOf(client, nbfIn20)).toBe("Verification Successful");
    const strict = clientWith([
      `tl_url: ${url}`,
      `tl_issuer: ${ISSUER}`,
      "tl_clock_leeway_seconds: 5",
    ]);
    expect(await statusOf(strict, nbfIn20)).toBe("Invalid token");
  });

  it("throws (no verdict) when the discovery document cannot be fetched", async () => {
    const client = clientWith([
      `tl_url: ${url}/nowhere`,
      `tl_jwks_url: ${url}/.well-known/jwks.json`,
    ]);
    const error = await client.verifyToken(await mint({ iss: ISSUER })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClientError);
    expect((error as ClientError).code).toBe("BAD_RESPONSE");
    expect((error as ClientError).message).toMatch(/its issuer is unavailable.*HTTP 404/);
  });

  it("the 1.8 reference token (no iss): refused by default, expired with the compatibility switch", async () => {
    const key = `tl_public_key: ${DEVELOPER_SSH_RSA_PUBLIC_KEY}`;
    const strict = clientWith([`tl_url: ${url}`, key]);
    expect((await strict.verifyToken(EXPIRED_REFERENCE_JWT)).status).toBe("Invalid token");
    const compat = clientWith([`tl_url: ${url}`, key, "tl_accept_tokens_without_issuer: yes"]);
    expect((await compat.verifyToken(EXPIRED_REFERENCE_JWT)).status).toBe("Signature expired");
  });
});

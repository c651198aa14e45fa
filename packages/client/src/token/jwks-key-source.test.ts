import type { KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createJwksKeySource } from "./jwks-key-source.js";
import { generateTestKeyPair, mintToken } from "./mint-token.test-helpers.js";
import { verifyToken } from "./verify-token.js";

/** A real JWKS endpoint on an ephemeral port whose key set the test can change. */
async function startJwksServer(initial: Array<{ kid: string; key: KeyObject }>) {
  const state = { keys: initial, requests: 0, status: 200 };
  const server: Server = createServer((req, res) => {
    state.requests++;
    if (req.url !== "/.well-known/jwks.json") {
      res.writeHead(404).end();
      return;
    }
    const body = {
      keys: state.keys.map(({ kid, key }) => ({
        ...key.export({ format: "jwk" }),
        kid,
        use: "sig",
      })),
    };
    res.writeHead(state.status, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { state, url: `http://127.0.0.1:${port}/.well-known/jwks.json`, close };
}

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close().catch(() => undefined)));
});

describe("createJwksKeySource against a real HTTP JWKS endpoint", () => {
  const k1 = generateTestKeyPair("RS512");
  const k2 = generateTestKeyPair("RS512");

  it("verifies a token whose kid is in the set, fetching the set once", async () => {
    const jwks = await startJwksServer([{ kid: "k1", key: k1.publicKey }]);
    servers.push(jwks.close);
    const source = createJwksKeySource(jwks.url, { cooldownMs: 60_000 });
    for (let i = 0; i < 3; i++) {
      const token = await mintToken(k1.privateKey, "RS512", { kid: "k1" });
      expect((await verifyToken(token, source)).status).toBe("Verification Successful");
    }
    expect(jwks.state.requests).toBe(1);
  });

  it("refetches on an unknown kid (key rotation) but at most once per cooldown", async () => {
    const jwks = await startJwksServer([{ kid: "k1", key: k1.publicKey }]);
    servers.push(jwks.close);
    let clock = 1_000_000;
    const source = createJwksKeySource(jwks.url, { cooldownMs: 30_000, now: () => clock });
    await source.refresh();
    expect(jwks.state.requests).toBe(1);

    // Rotation: the server now publishes k2; a token with kid k2 arrives after the cooldown.
    jwks.state.keys = [
      { kid: "k1", key: k1.publicKey },
      { kid: "k2", key: k2.publicKey },
    ];
    clock += 31_000;
    const rotated = await mintToken(k2.privateKey, "RS512", { kid: "k2" });
    expect((await verifyToken(rotated, source)).status).toBe("Verification Successful");
    expect(jwks.state.requests).toBe(2);

    // A flood of unknown kids inside the cooldown causes no further fetch.
    const bogus = await mintToken(k2.privateKey, "RS512", { kid: "nope" });
    for (let i = 0; i < 5; i++) {
      expect(await verifyToken(bogus, source)).toMatchObject({
        status: "Invalid token",
        reason: "unknown_kid",
      });
    }
    expect(jwks.state.requests).toBe(2);

    // After the cooldown one more fetch is allowed.
    clock += 31_000;
    expect((await verifyToken(bogus, source)).reason).toBe("unknown_kid");
    expect(jwks.state.requests).toBe(3);
  });

  it("keeps verifying with cached keys when the JWKS URL is down; unknown kid → signing key unavailable", async () => {
    const jwks = await startJwksServer([{ kid: "k1", key: k1.publicKey }]);
    let clock = 0;
    const source = createJwksKeySource(jwks.url, {
      cooldownMs: 1_000,
      timeoutMs: 2_000,
      now: () => clock,
    });
    const known = await mintToken(k1.privateKey, "RS512", { kid: "k1" });
    expect((await verifyToken(known, source)).status).toBe("Verification Successful");
    await jwks.close();

    clock += 10_000;
    expect((await verifyToken(known, source)).status).toBe("Verification Successful");
    const unknown = await mintToken(k2.privateKey, "RS512", { kid: "k2" });
    const result = await verifyToken(unknown, source);
    expect(result).toMatchObject({
      status: "Invalid token",
      reason: "key_unavailable",
      detail: "signing key unavailable",
    });
    await expect(source.refresh()).rejects.toThrow();
  });

  it("reports key_unavailable when the first fetch fails (HTTP 500) and recovers after the cooldown", async () => {
    const jwks = await startJwksServer([{ kid: "k1", key: k1.publicKey }]);
    servers.push(jwks.close);
    jwks.state.status = 500;
    let clock = 0;
    const source = createJwksKeySource(jwks.url, { cooldownMs: 5_000, now: () => clock });
    const token = await mintToken(k1.privateKey, "RS512", { kid: "k1" });
    expect((await verifyToken(token, source)).reason).toBe("key_unavailable");
    jwks.state.status = 200;
    expect((await verifyToken(token, source)).reason).toBe("key_unavailable");
    clock += 5_000;
    expect((await verifyToken(token, source)).status).toBe("Verification Successful");
  });

  it("past its max age, with the JWKS URL failing, still verifies with the cached set and asks the URL at most once per cooldown", async () => {
    const jwks = await startJwksServer([{ kid: "k1", key: k1.publicKey }]);
    servers.push(jwks.close);
    let clock = 0;
    const source = createJwksKeySource(jwks.url, {
      cooldownMs: 30_000,
      maxAgeMs: 60_000,
      now: () => clock,
    });
    const token = await mintToken(k1.privateKey, "RS512", { kid: "k1" });
    expect((await verifyToken(token, source)).status).toBe("Verification Successful");
    jwks.state.status = 500;

    clock += 61_000;
    for (let i = 0; i < 5; i++) {
      expect((await verifyToken(token, source)).status).toBe("Verification Successful");
    }
    // One background refetch (failing) for the five verifications.
    await vi.waitFor(() => expect(jwks.state.requests).toBe(2));
    clock += 10_000;
    for (let i = 0; i < 5; i++) {
      expect((await verifyToken(token, source)).status).toBe("Verification Successful");
    }
    expect(jwks.state.requests).toBe(2);
    clock += 30_000;
    expect((await verifyToken(token, source)).status).toBe("Verification Successful");
    await vi.waitFor(() => expect(jwks.state.requests).toBe(3));
  });

  it("drops keys the server retired once the set is refetched", async () => {
    const jwks = await startJwksServer([{ kid: "k1", key: k1.publicKey }]);
    servers.push(jwks.close);
    const source = createJwksKeySource(jwks.url, { cooldownMs: 0 });
    const old = await mintToken(k1.privateKey, "RS512", { kid: "k1" });
    expect((await verifyToken(old, source)).status).toBe("Verification Successful");
    jwks.state.keys = [{ kid: "k2", key: k2.publicKey }];
    await source.refresh();
    expect((await verifyToken(old, source)).reason).toBe("unknown_kid");
  });

  it("shares one in-flight fetch between concurrent first requests", async () => {
    const jwks = await startJwksServer([{ kid: "k1", key: k1.publicKey }]);
    servers.push(jwks.close);
    const source = createJwksKeySource(jwks.url);
    const token = await mintToken(k1.privateKey, "RS512", { kid: "k1" });
    const results = await Promise.all(Array.from({ length: 10 }, () => verifyToken(token, source)));
    expect(results.every((r) => r.status === "Verification Successful")).toBe(true);
    expect(jwks.state.requests).toBe(1);
  });
});

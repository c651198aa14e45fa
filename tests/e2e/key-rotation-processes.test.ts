import { createJwksKeySource, verifyToken } from "@tokenleader/client";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactDatabaseUrl } from "../../packages/server/src/db/database-url.js";
import {
  postgresDatabaseOrSkip,
  testPostgresUrl,
} from "../../packages/server/test/helpers/test-databases.js";
import { BIN, runCli } from "./support/processes.js";
import {
  SHARED_KEY_ENCRYPTION_KEY,
  startTokenleaderServer,
  type TokenleaderServer,
} from "./support/server-process.js";

// Key rotation without downtime (issue 13): three server processes with their own data
// directories on one PostgreSQL database. A key rotated with adminops is in every JWKS before it
// signs; after its activation every instance signs with it; the old key's tokens verify until
// the retired key's publication ends, then every instance refuses them. Meanwhile a client that
// gets tokens from random instances and verifies them locally through the JWKS (as a service
// behind a load balancer would) never sees a failure. Short lead time and publication via
// settings and flags keep the whole rotation within seconds.

const PUBLIC_URL = "https://auth.example.test";
const LEAD_SECONDS = 6;

const { database, skip, problem } = await postgresDatabaseOrSkip("PostgreSQL key rotation test");

interface Jwks {
  keys: { kid: string }[];
}

describe.skipIf(skip)("key rotation across three server processes on PostgreSQL", () => {
  let servers: TokenleaderServer[] = [];
  let adminPassword: string;

  beforeAll(async () => {
    if (!database) {
      throw new Error(
        `PostgreSQL is required but ${redactDatabaseUrl(testPostgresUrl())} does not answer: ${problem}`,
      );
    }
    const options = {
      dbUrl: database.url,
      ini: {
        server: [`public_url = ${PUBLIC_URL}`],
        // The fallback timer is slow on purpose: on PostgreSQL a rotation must arrive by notice.
        token: [`key_rotation_lead_seconds = ${LEAD_SECONDS}`, "key_set_refresh_seconds = 600"],
        login: ["enabled = false"],
      },
    };
    // The first creates the schema, the deployment's key and the administrator.
    servers = [await startTokenleaderServer(options)];
    servers.push(...(await Promise.all([1, 2].map(() => startTokenleaderServer(options)))));
    adminPassword = servers[0]!.adminPassword;
  }, 150_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.cleanup();
  });

  const jwksOf = async (server: TokenleaderServer) =>
    (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as Jwks;
  const kidsAt = async (server: TokenleaderServer) =>
    (await jwksOf(server)).keys.map((key) => key.kid);
  const kidOf = (token: string) => decodeProtectedHeader(token).kid;
  const verifyAt = async (server: TokenleaderServer, token: string) => {
    const response = await fetch(`${server.url}/token/verify_token`, {
      headers: { "x-auth-token": token },
    });
    return {
      code: response.status,
      status: ((await response.json()) as { status: string }).status,
    };
  };
  const sleepUntil = (time: number) =>
    new Promise((resolve) => setTimeout(resolve, Math.max(0, time - Date.now())));
  async function pollAll(check: (server: TokenleaderServer) => Promise<boolean>, ms: number) {
    const deadline = Date.now() + ms;
    const pending = new Set(servers);
    while (pending.size > 0 && Date.now() < deadline) {
      for (const server of [...pending]) if (await check(server)) pending.delete(server);
      if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return servers.filter((server) => pending.has(server)).map((server) => server.url);
  }

  /**
   * A service verifying tokens locally through the JWKS, behind the same load balancer as its
   * users: each token comes from a random instance, and so does each JWKS fetch.
   */
  function startContinuousClient() {
    const pick = () => servers[Math.floor(Math.random() * servers.length)]!;
    const keys = createJwksKeySource(`${PUBLIC_URL}/.well-known/jwks.json`, {
      // A client refetching on an unknown kid at most once a second: the lead time is longer.
      cooldownMs: 1_000,
      fetch: (_url, init) => fetch(`${pick().url}/.well-known/jwks.json`, init),
    });
    const failures: string[] = [];
    const kids = new Map<string, number>();
    let running = true;
    const loop = (async () => {
      while (running) {
        const token = await pick().getToken("admin", adminPassword);
        const result = await verifyToken(token, keys, {
          algorithms: ["RS512", "ES256"],
          issuer: PUBLIC_URL,
        });
        const kid = String(kidOf(token));
        kids.set(kid, (kids.get(kid) ?? 0) + 1);
        if (result.status !== "Verification Successful") {
          failures.push(`${kid}: ${result.status} (${"detail" in result ? result.detail : ""})`);
        }
      }
    })();
    return {
      async stop() {
        running = false;
        await loop;
        return { failures, kids };
      },
    };
  }

  it("rotate, activate, retire: every instance agrees at each step and the client never fails", async () => {
    const [first, second, third] = servers as [
      TokenleaderServer,
      TokenleaderServer,
      TokenleaderServer,
    ];
    const oldToken = await first.getToken("admin", adminPassword);
    const oldKid = String(kidOf(oldToken));
    const client = startContinuousClient();
    let newKid = "";
    let seen: Awaited<ReturnType<typeof client.stop>>;
    try {
      const rotated = await runCli(
        BIN.adminops,
        ["--config", second.configFile, "--json", "keys", "rotate", "--algorithm", "ES256"],
        { env: { TOKENLEADER_KEY_ENCRYPTION_KEY: SHARED_KEY_ENCRYPTION_KEY } },
      );
      expect(rotated.code, rotated.stderr).toBe(0);
      const newKey = JSON.parse(rotated.stdout) as {
        kid: string;
        state: string;
        activatesAt: string;
      };
      expect(newKey.state).toBe("pending");
      newKid = newKey.kid;
      const activatesAt = Date.parse(newKey.activatesAt);

      // Every JWKS lists the new key before it signs; every instance still signs with the old.
      const lagging = await pollAll(async (s) => (await kidsAt(s)).includes(newKey.kid), 2_000);
      expect(lagging).toEqual([]);
      const jwks = await Promise.all(servers.map(jwksOf));
      expect(jwks[1]).toEqual(jwks[0]);
      expect(jwks[2]).toEqual(jwks[0]);
      const beforeActivation = await Promise.all(
        servers.map((s) => s.getToken("admin", adminPassword)),
      );
      expect(Date.now()).toBeLessThan(activatesAt);
      expect(beforeActivation.map(kidOf)).toEqual([oldKid, oldKid, oldKid]);

      // From its activation time on, every instance signs with the new key.
      await sleepUntil(activatesAt + 50);
      const afterActivation = await Promise.all(
        servers.map((s) => s.getToken("admin", adminPassword)),
      );
      expect(afterActivation.map(kidOf)).toEqual([newKey.kid, newKey.kid, newKey.kid]);
      for (const server of servers) {
        expect(await verifyAt(server, oldToken)).toEqual({
          code: 200,
          status: "Verification Successful",
        });
      }

      // Retired through the admin API of another instance; published 4 s more (instead of the
      // old token's remaining lifetime): still verifying until then, refused everywhere after.
      const retired = await fetch(`${third.url}/retire/key`, {
        method: "POST",
        headers: { "x-auth-token": afterActivation[2]!, "content-type": "application/json" },
        body: JSON.stringify({ kid: oldKid, published_for_seconds: 4 }),
      });
      expect(retired.status).toBe(200);
      const publishedUntil = Date.parse(
        ((await retired.json()) as { status: { publishedUntil: string } }).status.publishedUntil,
      );
      for (const server of servers) {
        expect((await verifyAt(server, oldToken)).code).toBe(200);
      }
      expect(Date.now()).toBeLessThan(publishedUntil);
      await sleepUntil(publishedUntil);
      const stillListing = await pollAll(async (s) => !(await kidsAt(s)).includes(oldKid), 2_000);
      expect(stillListing).toEqual([]);
      for (const server of servers) {
        expect(await verifyAt(server, oldToken)).toEqual({ code: 401, status: "Invalid token" });
        expect(await kidsAt(server)).toEqual([newKey.kid]);
      }
    } finally {
      seen = await client.stop();
    }
    console.info(
      `continuous client: ${[...seen.kids.values()].reduce((a, b) => a + b, 0)} tokens verified, ${seen.failures.length} failures`,
    );
    expect(seen.failures).toEqual([]);
    // It verified tokens of both keys, continuously, through the whole rotation.
    expect(seen.kids.get(oldKid) ?? 0).toBeGreaterThan(0);
    expect(seen.kids.get(newKid) ?? 0).toBeGreaterThan(0);
  }, 90_000);
});

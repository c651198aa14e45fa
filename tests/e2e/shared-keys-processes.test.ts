import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../../packages/server/test/helpers/test-databases.js";
import { startTokenleaderServer, type TokenleaderServer } from "./support/server-process.js";

// Many instances, one service (issue 13): server processes with their own data directories on
// one database sign with the deployment's key from the database, so a token from one verifies at
// the others and every JWKS is the same. An instance with the wrong key-encryption key or
// another public_url does not start.

const PUBLIC_URL = "https://auth.example.test";

describeEachProvider("two server processes with separate data directories", (ctx) => {
  let dir: string;
  let dbUrl: string;
  let first: TokenleaderServer;
  let second: TokenleaderServer;
  const ini = { server: [`public_url = ${PUBLIC_URL}`] };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tl-e2e-shared-keys-"));
    dbUrl =
      ctx.provider === "sqlite"
        ? `file:${join(dir, "shared.db")}`
        : (await ctx.createDatabase({ migrate: false })).url;
    first = await startTokenleaderServer({ dbUrl, ini });
    second = await startTokenleaderServer({ dbUrl, ini });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const verifyAt = (server: TokenleaderServer, token: string) =>
    fetch(`${server.url}/token/verify_token`, { headers: { "x-auth-token": token } });
  const jwksOf = async (server: TokenleaderServer) =>
    (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
      keys: { kid: string }[];
    };

  it("sign with one key: a token of either verifies at the other, and their JWKS agree", async () => {
    const fromFirst = await first.getToken("admin", first.adminPassword);
    const fromSecond = await second.getToken("admin", first.adminPassword);
    expect(decodeProtectedHeader(fromSecond).kid).toBe(decodeProtectedHeader(fromFirst).kid);

    const atSecond = await verifyAt(second, fromFirst);
    expect(atSecond.status).toBe(200);
    expect(((await atSecond.json()) as { status: string }).status).toBe("Verification Successful");
    expect((await verifyAt(first, fromSecond)).status).toBe(200);

    const [jwksFirst, jwksSecond] = [await jwksOf(first), await jwksOf(second)];
    expect(jwksSecond).toEqual(jwksFirst);
    expect(jwksFirst.keys.map((key) => key.kid)).toContain(decodeProtectedHeader(fromFirst).kid);

    // Each writes the deployment's public key as an OpenSSH line for offline clients: the same.
    const lineOf = (server: TokenleaderServer) =>
      readFile(join(server.dataDir, "keys", "signing-key.pub"), "utf8");
    const line = await lineOf(first);
    expect(line).toMatch(/^ssh-rsa AAAA/);
    expect(await lineOf(second)).toBe(line);
    // The first server's own key file became the deployment's key; the second's file is unused.
    const keyPart = (text: string) => text.split(" ")[1];
    expect(keyPart(line)).toBe(keyPart(first.publicKeyLine));
    expect(keyPart(line)).not.toBe(keyPart(second.publicKeyLine));
  }, 60_000);

  it("a revocation through one instance is refused at the other at once (PostgreSQL: within 100 ms)", async () => {
    const token = await first.getToken("admin", first.adminPassword);
    // Verified (and so cached as good) at the second instance first.
    expect((await verifyAt(second, token)).status).toBe(200);
    const revoked = await fetch(`${first.url}/revoke/user`, {
      method: "POST",
      headers: { "x-auth-token": token, "content-type": "application/json" },
      body: JSON.stringify({ username: "admin" }),
    });
    expect(revoked.status).toBe(200);
    // PostgreSQL tells every instance (LISTEN/NOTIFY); SQLite relies on the 2 s cache lifetime.
    const deadlineMs = ctx.provider === "postgresql" ? 100 : 2_500;
    const started = performance.now();
    let status = 200;
    while (status === 200 && performance.now() - started < deadlineMs) {
      status = (await verifyAt(second, token)).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(status).toBe(401);
  }, 60_000);

  it("an instance with another key-encryption key refuses to start, naming the setting", async () => {
    const start = startTokenleaderServer({
      dbUrl,
      ini,
      env: { TOKENLEADER_KEY_ENCRYPTION_KEY: randomBytes(32).toString("base64") },
    });
    await expect(start).rejects.toThrow(/exited with 2/);
    await expect(start).rejects.toThrow(
      /another key-encryption key.*set TOKENLEADER_KEY_ENCRYPTION_KEY/,
    );
  }, 60_000);

  it("an instance with another public_url refuses to start; --issuer-change lets it start", async () => {
    const moved = { server: ["public_url = https://moved.example.test"] };
    const refused = startTokenleaderServer({ dbUrl, ini: moved });
    await expect(refused).rejects.toThrow(/exited with 2/);
    await expect(refused).rejects.toThrow(
      new RegExp(`set \\[server\\] public_url .* to ${PUBLIC_URL}.*--issuer-change`),
    );

    const changed = await startTokenleaderServer({ dbUrl, ini: moved, args: ["--issuer-change"] });
    try {
      const token = await changed.getToken("admin", first.adminPassword);
      expect(decodeProtectedHeader(token).kid).toBe((await jwksOf(first)).keys[0]!.kid);
    } finally {
      await changed.stop();
    }
    // Recorded: the next start with the new URL needs no switch.
    const again = await startTokenleaderServer({ dbUrl, ini: moved });
    await again.stop();
  }, 90_000);
});

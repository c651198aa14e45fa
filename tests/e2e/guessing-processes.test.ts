import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachProvider } from "../../packages/server/test/helpers/test-databases.js";
import { startTokenleaderServer, type TokenleaderServer } from "./support/server-process.js";

// The guessing policy across real server processes: two `tokenleader-server` processes on one
// database share one count, so 50 parallel wrong passwords spread over both are checked at most
// max_failures_per_account times in total (each process counting alone allowed twice that).

describeEachProvider("guessing policy: two server processes on one database", (ctx) => {
  let dir: string;
  let first: TokenleaderServer;
  let second: TokenleaderServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "tl-e2e-guessing-"));
    // A database the servers migrate themselves (a SQLite file both processes open).
    const dbUrl =
      ctx.provider === "sqlite"
        ? `file:${join(dir, "shared.db")}`
        : (await ctx.createDatabase({ migrate: false })).url;
    const ini = {
      login: ["max_failures_per_account = 5", "max_failures_per_source = 100"],
      // One deployment, one public URL (the issuer recorded in the database).
      server: ["public_url = https://auth.example.test"],
    };
    first = await startTokenleaderServer({ dbUrl, ini });
    second = await startTokenleaderServer({ dbUrl, ini });
    const added = await first.adminops(
      ["adduser", "-n", "guessed", "--password-stdin", "--rolenames", "admin", "--wfc", "default"],
      "guessed-Secret-1\n",
    );
    expect(added.code, added.stderr).toBe(0);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const gettoken = (server: TokenleaderServer, password: string) =>
    fetch(`${server.url}/token/gettoken`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "guessed", password }),
    }).then((res) => res.status);

  it("50 parallel wrong passwords over both processes are checked at most 5 times", async () => {
    const statuses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => gettoken(i % 2 === 0 ? first : second, `guess-${i}`)),
    );
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(45);
    // Both processes refuse the right password now: the lock is in the database.
    expect(await gettoken(first, "guessed-Secret-1")).toBe(429);
    expect(await gettoken(second, "guessed-Secret-1")).toBe(429);

    const listed = await second.adminops(["lockouts", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toContainEqual(
      expect.objectContaining({ kind: "account", account: "guessed", failures: 5 }),
    );
    const unlocked = await first.adminops(["unlock", "-n", "guessed"]);
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(await gettoken(second, "guessed-Secret-1")).toBe(201);
  }, 60_000);
});
